package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journalled job is known even when the job list does not hold it (a member killed between a
 * job's acceptance and the list's record of it loses the record; here the list keeps one job), so
 * the API never answers 404 for it; an id the journal has never seen is unknown.
 */
class JobKnownTest {

    @TempDir
    Path dir;

    @Test
    void shouldKnowAJournalledJobTheJobListDoesNotHold() throws Exception {
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { name = k1, cpus = 2 }
                colony.jobs.list.keep = 1
                """.formatted(dir.toString().replace('\\', '/'))));
        try (Colony colony = Colony.start(settings)) {
            for (String id : List.of("first", "second")) {
                JobResult r = colony.submit(JobSpec.of(id, List.of(TaskSpec.of("t", "noop", Map.of()))))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.toString());
            }
        }
        try (Colony colony = Colony.start(settings)) { // a fresh runtime: no recent submissions
            assertTrue(colony.knows("first").toCompletableFuture().get(30, TimeUnit.SECONDS), "first: in the journal");
            assertTrue(colony.knows("second").toCompletableFuture().get(30, TimeUnit.SECONDS), "second: listed");
            assertFalse(colony.knows("never").toCompletableFuture().get(30, TimeUnit.SECONDS), "never submitted");
            assertEquals(JobStatus.Phase.SUCCEEDED, colony.progress("first").toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).phase());
        }
    }
}
