package dev.colony.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events written to the H2 file journal survive the actor system that wrote them. */
class H2JournalTest {

    @TempDir
    Path dataDir;

    /** A counter whose increments are events: the smallest event-sourced actor. */
    static final class Counter extends EventSourcedBehavior<Counter.Cmd, Counter.Added, Integer> {
        /** The event, written with Jackson CBOR like every Colony event. */
        public record Added(int n) {
        }

        sealed interface Cmd {
        }

        record Add(int n, ActorRef<Integer> replyTo) implements Cmd {
        }

        record Get(ActorRef<Integer> replyTo) implements Cmd {
        }

        Counter(String id) {
            super(PersistenceId.ofUniqueId(id));
        }

        static Behavior<Cmd> create(String id) {
            return new Counter(id);
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Cmd, Added, Integer> commandHandler() {
            return (state, cmd) -> switch (cmd) {
                case Add a -> Effect().persist(new Added(a.n())).thenRun(s -> a.replyTo().tell(s));
                case Get g -> Effect().none().thenRun(s -> g.replyTo().tell(s));
            };
        }

        @Override
        public EventHandler<Integer, Added> eventHandler() {
            return (state, event) -> state + event.n();
        }
    }

    Config config(JournalSettings s) {
        return JournalConfig.of(s).withFallback(ConfigFactory.parseString(
                "akka.actor.serialization-bindings { \"" + Counter.Added.class.getName() + "\" = jackson-cbor }")).withFallback(ConfigFactory.load());
    }

    @Test
    void shouldRecoverEventsAcrossActorSystems() {
        JournalSettings s = JournalSettings.h2(dataDir);
        ActorTestKit first = ActorTestKit.create("first", config(s));
        try {
            JournalSchema.createIfNotExists(first.system(), s, Duration.ofSeconds(30));
            JournalSchema.createIfNotExists(first.system(), s, Duration.ofSeconds(30)); // idempotent
            TestProbe<Integer> probe = first.createTestProbe();
            var counter = first.spawn(Counter.create("c-1"));
            counter.tell(new Counter.Add(5, probe.getRef()));
            counter.tell(new Counter.Add(7, probe.getRef()));
            assertEquals(5, probe.receiveMessage(Duration.ofSeconds(10)));
            assertEquals(12, probe.receiveMessage(Duration.ofSeconds(10)));
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = ActorTestKit.create("second", config(s));
        try {
            TestProbe<Integer> probe = second.createTestProbe();
            second.spawn(Counter.create("c-1")).tell(new Counter.Get(probe.getRef()));
            assertEquals(12, probe.receiveMessage(Duration.ofSeconds(10)));
        } finally {
            second.shutdownTestKit();
        }
    }

    @Test
    void shouldNameTheJournalWhenItCannotBeReached() {
        JournalSettings s = JournalSettings.postgres("jdbc:postgresql://127.0.0.1:1/none", "nobody", "x");
        ActorTestKit kit = ActorTestKit.create("unreachable", config(s));
        try {
            var e = assertThrows(IllegalStateException.class,
                    () -> JournalSchema.createIfNotExists(kit.system(), s, Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("PostgreSQL journal at jdbc:postgresql://127.0.0.1:1/none"), e.getMessage());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
