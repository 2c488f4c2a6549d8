package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.runtime.Colony;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members (two runtimes here and a {@code colony node} process); {@code kill -9} of the
 * process mid-job: the split brain resolver downs it, its tasks negotiate again on the others, and
 * the job completes with every task's result recorded once.
 */
@Tag("postgres")
class FailoverTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompleteAJobWhenANodeProcessIsKilledMidJob() throws Exception {
        int seed = NodeProcess.freePort();
        NodeProcess victim = null;
        try (Colony first = FailoverMembers.member(dir, "m1", seed, seed, "round-robin")) {
            victim = FailoverMembers.victim(dir, seed, "round-robin");
            try (Colony third = FailoverMembers.member(dir, "m3", NodeProcess.freePort(), seed, "round-robin")) {
                TestProbe<Object> probe = TestProbe.create(first.system());
                FailoverMembers.awaitViews(probe, first, third);
                String jobId = "failover-" + UUID.randomUUID();
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", 1500)));
                }
                CompletionStage<JobResult> result = first.submit(JobSpec.of(jobId, tasks));
                // kill -9 once the victim runs a task of the job
                probe.awaitAssert(Duration.ofSeconds(30), () -> {
                    JobStatus s = first.status(jobId).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertTrue(s.tasks().values().stream().anyMatch(t -> "victim".equals(t.node())
                            && t.state() == TaskSummary.TaskState.RUNNING), s.tasks().toString());
                    return null;
                });
                victim.process().destroyForcibly();
                JobResult r = result.toCompletableFuture().get(120, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals(12, r.outputs().size());
                assertTrue(r.tasks().values().stream().allMatch(t -> t.state() == TaskSummary.TaskState.SUCCEEDED
                        && Set.of("m1", "m3").contains(t.node())), r.tasks().toString());
                assertEquals(Set.of("m1", "m3"), FailoverMembers.names(first.nodes()));
            }
        } finally {
            if (victim != null) {
                victim.process().destroyForcibly();
            }
        }
    }
}
