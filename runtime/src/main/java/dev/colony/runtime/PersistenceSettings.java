package dev.colony.runtime;

import com.typesafe.config.Config;
import dev.colony.actors.output.PrivateFiles;
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
 * @param quotaBytes       most bytes the output store of this process may hold
 */
public record PersistenceSettings(JournalSettings journal, Path dataDir, int startAttempts, Duration startBackoff,
                                  long inlineLimitBytes, long quotaBytes) {

    /** Reads {@code colony.persistence}. */
    static PersistenceSettings fromConfig(Config p) {
        Path dataDir = Path.of(p.getString("data-dir"));
        String kind = p.getString("journal").toLowerCase(Locale.ROOT);
        JournalSettings journal = switch (kind) {
            case "h2" -> JournalSettings.h2(dataDir);
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
        return new PersistenceSettings(journal, dataDir, attempts, p.getDuration("start-backoff"),
                p.getBytes("outputs.inline-limit"), p.getBytes("outputs.quota"));
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
                    + " cannot be created or made owner-only: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether events survive the process. */
    public boolean durable() {
        return journal.kind() != JournalSettings.Kind.MEMORY;
    }
}
