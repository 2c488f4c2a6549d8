package dev.colony.runtime.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.colony.persistence.JournalReader;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Function;

/** Opens the configured journal for reading in a local actor system, for the commands that read it offline. */
final class JournalAccess {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private JournalAccess() {
    }

    /** H2 lets one process open its file: a running node's journal is named as such, not timed out on. */
    static void refuseIfHeld(JournalSettings journal) {
        try (var c = journal.connect()) {
            c.isValid(5);
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1
                throw new IllegalStateException("the " + journal.describe() + " is held by a running node (H2 lets one "
                        + "process open it): stop that node first, or ask it through its HTTP API (GET /jobs, "
                        + "GET /jobs/ID)", e);
            }
            throw new IllegalStateException("cannot open the " + journal.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code read} with a reader of {@code settings}' journal.
     *
     * @throws IllegalArgumentException when the journal is the memory one, or there is no H2 file
     * @throws IllegalStateException    when it cannot be read
     */
    static <T> T read(ColonySettings settings, Function<JournalReader, T> read) {
        JournalSettings journal = settings.persistence().journal();
        if (journal.kind() == JournalSettings.Kind.MEMORY) {
            throw new IllegalArgumentException("the memory journal keeps nothing to read; use --journal h2 or postgres");
        }
        if (journal.kind() == JournalSettings.Kind.H2 && !Files.exists(journal.h2File())) {
            throw new IllegalArgumentException("there is no " + journal.describe() + " (--data-dir, colony.persistence.data-dir)");
        }
        if (journal.kind() == JournalSettings.Kind.H2) {
            refuseIfHeld(journal);
        }
        var akka = ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = ERROR")
                .withFallback(settings.config());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "colony-journal", akka);
        try {
            System.out.println(journal.describe());
            return read.apply(new JournalReader(system, TIMEOUT));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot read the " + journal.describe() + ": " + e.getMessage(), e);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
