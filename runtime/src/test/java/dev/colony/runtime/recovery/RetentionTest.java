package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.cli.ColonyCliTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes ended jobs past colony.retention.keep (events and outputs), never a pinned one; colony gc shows and runs it. */
class RetentionTest {

    @TempDir
    Path dir;

    private static JobSpec matrixJob(String id, Map<String, String> labels) {
        return new JobSpec(id, List.of(TaskSpec.of("m", "matrix", Map.of("rows", 256, "cols", 256))), 0, labels);
    }

    @Test
    void shouldDeleteEndedJobsBeyondTheCountWithTheirOutputsButNotPinnedOnes() throws Exception {
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { name = r1, cpus = 2, memory = 2GiB }
                colony.retention { keep = 2, every = 1s }
                """.formatted(dir.toString().replace('\\', '/'))));
        Path outputs = dir.resolve("outputs").resolve("r1");
        try (Colony colony = Colony.start(settings)) {
            List<String> ids = List.of("pinned", "j0", "j1", "j2", "j3", "j4");
            for (String id : ids) {
                JobResult r = colony.submit(matrixJob(id, id.equals("pinned") ? Map.of("colony.pin", "true") : Map.of()))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.toString());
                assertTrue(Files.isDirectory(outputs.resolve(id)), "the tensor output of " + id + " is a file");
            }
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(40), () -> {
                for (String id : ids) {
                    boolean kept = List.of("pinned", "j3", "j4").contains(id);
                    JobStatus s = colony.status(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertEquals(kept ? JobStatus.Phase.SUCCEEDED : JobStatus.Phase.UNKNOWN, s.phase(), id);
                    assertEquals(kept, Files.exists(outputs.resolve(id)), id + "'s outputs");
                }
                return null;
            });
        }
        var show = ColonyCliTest.cli("gc", "--journal", "h2", "--data-dir", dir.toString(), "--set",
                "colony.retention.keep=0");
        assertEquals(0, show.code(), show.out() + show.err());
        assertTrue(show.out().contains("3 ended job(s) recorded; 2 due: j4, j3"), show.out());
        assertTrue(show.out().contains("colony gc --run deletes them"), show.out());
        var run = ColonyCliTest.cli("gc", "--run", "--journal", "h2", "--data-dir", dir.toString(), "--set",
                "colony.retention.keep=0");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("deleted ") && run.out().contains("freed 512KiB of outputs"), run.out());
        assertTrue(!Files.exists(outputs.resolve("j3")) && Files.exists(outputs.resolve("pinned")));
        assertTrue(run.out().contains("compacted " + dir.resolve("journal.mv.db")), run.out());
        var after = ColonyCliTest.cli("gc", "--journal", "h2", "--data-dir", dir.toString(), "--set",
                "colony.retention.keep=0");
        assertTrue(after.out().contains("1 ended job(s) recorded; 0 due"), "the compacted journal: " + after.out());
    }

    /**
     * A job deleted after it left memory is not woken to forget it: its shard journals no more
     * entity starts (each wake-up cost two remembered-entity writes and a recovery).
     */
    @Test
    void shouldNotWakeAJobThatLeftMemoryToForgetIt() throws Exception {
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { name = r2, cpus = 2, memory = 2GiB }
                colony.jobs.passivate-finished-after = 200ms
                colony.retention { max-age = 2s, every = 1s }
                """.formatted(dir.toString().replace('\\', '/'))));
        String job = "asleep";
        String shard = "/sharding/ColonyJobShard/" + Math.abs(job.hashCode() % 100);
        String other = "barrier";
        assertTrue(Math.abs(other.hashCode() % 100) != Math.abs(job.hashCode() % 100), "the two jobs share a shard");
        try (Colony colony = Colony.start(settings)) {
            assertEquals(JobResult.Outcome.SUCCEEDED, colony.submit(matrixJob(job, Map.of()))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS).outcome());
            var probe = TestProbe.create(colony.system());
            // started, then stopped once it passivated
            probe.awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals(2, rows(settings, shard), "events of " + shard);
                return null;
            });
            probe.awaitAssert(Duration.ofSeconds(30), () -> {
                assertEquals(0, rows(settings, "ColonyJob|" + job), "the job's events are deleted");
                return null;
            });
            // the Forget, had it been sent, went before this job; it has ended by the time this one has
            assertEquals(JobResult.Outcome.SUCCEEDED, colony.submit(matrixJob(other, Map.of()))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS).outcome());
            assertEquals(2, rows(settings, shard), "no entity start after the deletion in " + shard);
        }
    }

    private static long rows(ColonySettings settings, String persistenceId) throws Exception {
        try (var c = settings.persistence().journal().connect();
             var p = c.prepareStatement("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
            p.setString(1, persistenceId);
            try (var r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
