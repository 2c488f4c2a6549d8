package dev.colony.runtime;

import com.typesafe.config.Config;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.PrivateFiles;
import dev.colony.persistence.H2Server;
import dev.colony.persistence.JournalSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where Colony keeps what must survive a crash ({@code colony.persistence.*}, documented in the
 * runtime's {@code reference.conf}).
 *
 * @param journal          the journal of job and task events
 * @param dataDir          this process's data directory: the H2 journal and the output store
 * @param startAttempts    how often {@link Colony#start} tries to open the journal
 * @param startBackoff     the first wait between those tries (doubling)
 * @param inlineLimitBytes outputs up to this size (CBOR) travel inline in events
 * @param quotaBytes       most bytes the output store of this process may hold; -1 when it is a share
 * @param quotaPercent     the share of the disk (its free space and the outputs already stored) the
 *                         output store may hold, 1..100; 0 when {@code quotaBytes} says it
 * @param diskReserveBytes what outputs leave free on the disk of the data directory (for the journal)
 * @param h2ServePort      the port this process serves its H2 journal on to the others of its host
 *                         (0: any free one), or -1 when it does not ({@code h2.serve-port})
 * @param h2Linger         how long the H2 group commit waits after a write before storing
 *                         ({@code h2.group-commit-linger}), whoever starts it: the journal or the server
 */
public record PersistenceSettings(JournalSettings journal, Path dataDir, int startAttempts, Duration startBackoff,
                                  long inlineLimitBytes, long quotaBytes, int quotaPercent, long diskReserveBytes,
                                  int h2ServePort, Duration h2Linger) {

    /** Reads {@code colony.persistence}. */
    static PersistenceSettings fromConfig(Config p) {
        Path dataDir = Path.of(p.getString("data-dir"));
        String kind = p.getString("journal").toLowerCase(Locale.ROOT);
        int servePort = p.getInt("h2.serve-port");
        String servedBy = p.getString("h2.served-by");
        if (servePort < -1 || servePort > 65535 || servePort >= 0 && !servedBy.isEmpty()) {
            throw new IllegalArgumentException("colony.persistence.h2.serve-port = " + servePort + " must be -1 (not "
                    + "served), 0 (any free port) or a port" + (servedBy.isEmpty() ? "" : ", and -1 when "
                    + "colony.persistence.h2.served-by is set (a process serves its own journal or uses another's)"));
        }
        JournalSettings journal = switch (kind) {
            case "h2" -> servedBy.isEmpty() ? JournalSettings.h2(dataDir, (int) p.getDuration("h2.write-delay").toMillis())
                    : H2Server.client(Path.of(servedBy));
            case "postgres" -> JournalSettings.postgres(p.getString("postgres.url"), p.getString("postgres.user"),
                    p.getString("postgres.password"));
            case "memory" -> JournalSettings.memory();
            default -> throw new IllegalArgumentException("colony.persistence.journal = \"" + kind
                    + "\" is not a journal; use h2, postgres or memory");
        };
        int attempts = p.getInt("start-attempts");
        if (attempts < 1) {
            throw new IllegalArgumentException("colony.persistence.start-attempts = " + attempts + " must be >= 1");
        }
        String quota = p.getString("outputs.quota").trim();
        int percent = 0;
        if (quota.endsWith("%")) {
            try {
                percent = Integer.parseInt(quota.substring(0, quota.length() - 1).trim());
            } catch (NumberFormatException e) {
                percent = -1;
            }
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("colony.persistence.outputs.quota = \"" + quota + "\" must be a size "
                        + "(10GiB) or a share of the disk from 1% to 100%");
            }
        }
        return new PersistenceSettings(journal, dataDir, attempts, p.getDuration("start-backoff"),
                p.getBytes("outputs.inline-limit"), percent > 0 ? -1 : p.getBytes("outputs.quota"), percent,
                p.getBytes("outputs.disk-reserve"), kind.equals("h2") ? servePort : -1,
                p.getDuration("h2.group-commit-linger"));
    }

    /** Opens this process's output store under the data directory (with its quota and disk reserve). */
    public OutputStore openOutputs() {
        Path root = dataDir.resolve("outputs");
        return quotaPercent > 0 ? OutputStore.openSharing(root, inlineLimitBytes, quotaPercent, diskReserveBytes)
                : OutputStore.open(root, inlineLimitBytes, quotaBytes, diskReserveBytes);
    }

    /**
     * Makes the data directory (journal, outputs) owner-only, creating it if need be.
     *
     * @throws IllegalStateException naming the setting when it cannot
     */
    public void secureDataDir() {
        try {
            PrivateFiles.secureDirectory(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("Colony failed to start: colony.persistence.data-dir = " + dataDir
                    + " cannot be created or made owner-only: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        // A directory that cannot be written (a read-only mount) fails here, not at the first job.
        Path probe = dataDir.resolve(".write-check");
        try {
            try (var ch = PrivateFiles.open(probe, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                ch.force(true);
            }
            java.nio.file.Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalStateException("Colony failed to start: colony.persistence.data-dir = "
                    + dataDir.toAbsolutePath() + " cannot be written (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the journal and the outputs live there", e);
        }
    }

    /** Whether events survive the process. */
    public boolean durable() {
        return journal.kind() != JournalSettings.Kind.MEMORY;
    }
}
