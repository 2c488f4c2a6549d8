package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code Colony.start} says when Akka's entities would log every recovery at DEBUG. */
class LoggingWarningTest {

    static final String ENTITY_LOGGER = "akka.persistence.typed.internal.EventSourcedBehaviorImpl";

    @Test
    void shouldWarnOnlyWhenEntitiesLogAtDebug() {
        Logger entities = (Logger) LoggerFactory.getLogger(ENTITY_LOGGER);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        Level before = entities.getLevel();
        try {
            assertEquals(0, warnings(seen).size(), "quiet at the tests' WARN");
            entities.setLevel(Level.DEBUG);
            List<String> warned = warnings(seen);
            assertEquals(1, warned.size(), warned::toString);
            assertTrue(warned.get(0).contains(ENTITY_LOGGER) && warned.get(0).contains("README"), warned.get(0));
        } finally {
            entities.setLevel(before);
            root.detachAppender(seen);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> seen) {
        seen.list.clear();
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.persistence.journal = memory")))) {
            return seen.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("is at DEBUG")).toList();
        }
    }
}
