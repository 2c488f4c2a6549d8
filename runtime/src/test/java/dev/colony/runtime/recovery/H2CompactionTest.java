package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node starting with an H2 file above {@code h2.compact-on-start-above} first rewrites it to what is live. */
class H2CompactionTest {

    @TempDir
    Path dir;

    private ColonySettings settings(String compactAbove) {
        return ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s", h2.compact-on-start-above = %s }
                colony.node { name = c1, cpus = 2, memory = 2GiB }
                """.formatted(dir.toString().replace('\\', '/'), compactAbove)));
    }

    /**
     * Many small commits, as a loaded node makes, then a stop that leaves them in the file (H2
     * compacts for a moment at a clean close; a killed node does not).
     */
    private static void churn(ColonySettings settings) throws Exception {
        try (Connection c = settings.persistence().journal().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR(1000))");
            for (int i = 0; i < 2_000; i++) {
                s.execute("INSERT INTO churn VALUES (" + i + ", REPEAT('x', 1000))");
                s.execute("DELETE FROM churn WHERE id = " + (i - 1));
                s.execute("CHECKPOINT"); // into the file now, a chunk of its own (as the group commit's stores)
            }
            s.execute("DROP TABLE churn");
            s.execute("SHUTDOWN IMMEDIATELY");
        }
    }

    @Test
    void shouldCompactALargeFileAtStartAndKeepEveryJob() throws Exception {
        Path file = dir.resolve("journal.mv.db");
        try (Colony colony = Colony.start(settings("0"))) {
            for (int i = 0; i < 20; i++) {
                JobResult r = colony.submit(JobSpec.of("j" + i, List.of(TaskSpec.of("s", "spin", Map.of("work", 1)))))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.toString());
            }
        }
        churn(settings("0"));
        long before = Files.size(file);

        try (Colony colony = Colony.start(settings("1B"))) {
            long after = Files.size(file);
            assertTrue(after < before / 2, "the file was " + before + " bytes, now " + after);
            for (int i = 0; i < 20; i++) {
                JobStatus s = colony.status("j" + i).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals(JobStatus.Phase.SUCCEEDED, s.phase(), "j" + i);
            }
        }
    }
}
