package dev.colony.runtime.internal;

import akka.actor.typed.ActorSystem;
import dev.colony.actors.data.Capabilities;
import dev.colony.actors.data.DataPlane;
import dev.colony.actors.job.Bytes;
import dev.colony.actors.output.OutputStore;
import dev.colony.persistence.H2Compaction;
import dev.colony.persistence.H2Server;
import dev.colony.persistence.JournalSchema;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.PersistenceSettings;
import java.io.IOException;
import java.sql.SQLException;
import org.slf4j.LoggerFactory;

/**
 * Opens what a starting runtime stores into: the journal (its tables; an H2 file first compacted
 * when it is large), the output store and the data plane.
 */
public final class Stores {

    private Stores() {
    }

    /**
     * Prepares the journal, opens the output store and starts the data plane serving it (both end
     * with {@code system}).
     *
     * @throws IllegalStateException naming the journal when it cannot be reached
     * @throws IOException           when the data plane cannot start
     */
    public static OutputStore open(ActorSystem<?> system, ColonySettings settings) throws IOException {
        PersistenceSettings p = settings.persistence();
        // A served journal is the serving process's to compact.
        if (p.journal().kind() == JournalSettings.Kind.H2 && !p.journal().served()) {
            long above = settings.config().getBytes("colony.persistence.h2.compact-on-start-above");
            H2Compaction.compactIfAbove(p.journal(), above).ifPresent(r -> LoggerFactory.getLogger(Stores.class)
                    .info("compacted {}: {} -> {}", p.journal().h2File(), Bytes.format(r.beforeBytes()),
                            Bytes.format(r.afterBytes())));
        }
        // The journal must be reachable before any entity starts: a failed start leaves nothing half-done.
        JournalSchema.prepare(system, p.journal(), p.startAttempts(), p.startBackoff(), settings.startTimeout(),
                msg -> system.log().warn(msg));
        if (p.h2ServePort() >= 0) {
            serve(system, p);
        }
        OutputStore outputs = p.durable() ? p.openOutputs() : OutputStore.inlineOnly();
        if (settings.data() != null) {
            // The secret behind output capabilities outlives the process with the outputs it opens.
            DataPlane plane = DataPlane.start(settings.data(), outputs::map, p.durable()
                    ? Capabilities.stored(p.dataDir().resolve("data-plane.key")) : Capabilities.random());
            system.getWhenTerminated().thenRun(plane::close);
            outputs.attach(plane);
        }
        return outputs;
    }

    /** Serves this process's H2 journal to the other processes of its host until {@code system} ends. */
    private static void serve(ActorSystem<?> system, PersistenceSettings p) {
        try {
            H2Server server = H2Server.start(p.journal(), p.h2ServePort(), p.h2Linger().toNanos());
            system.getWhenTerminated().thenRun(server::close);
            system.log().info("serving the H2 journal to the processes of this host on port {} (key in {})",
                    server.port(), p.dataDir().resolve(H2Server.KEY_FILE));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot serve the " + p.journal().describe() + " on "
                    + "colony.persistence.h2.serve-port = " + p.h2ServePort() + ": " + e.getMessage(), e);
        }
    }
}
