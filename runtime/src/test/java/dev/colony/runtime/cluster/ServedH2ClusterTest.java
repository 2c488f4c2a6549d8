package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.runtime.Colony;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster on one host sharing the H2 journal its first member serves: a job that lives on the
 * other member journals through it, and after that member leaves the first one answers the job's
 * result from its own file.
 */
class ServedH2ClusterTest {

    @TempDir
    Path dir;

    @Test
    void shouldSpreadTheJobsSubmittedToOneMemberOverBothWhenAskedTo() throws Exception {
        int port = NodeProcess.freePort();
        String common = """
                colony.persistence.journal = h2
                colony.learner.enabled = off
                colony.jobs.placement = spread
                """;
        try (Colony first = Members.start(dir, "p1", 1, port, List.of(), common
                + "colony.persistence.h2.serve-port = 0\n");
             Colony second = Members.start(dir, "p2", 1, NodeProcess.freePort(), List.of("127.0.0.1:" + port),
                     common + "colony.persistence.h2.served-by = \"" + dir.resolve("p1").toString().replace('\\', '/')
                             + "\"\n")) {
            TestProbe.create(second.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals(2, second.nodes().size());
                return null;
            });
            List<java.util.concurrent.CompletableFuture<JobResult>> results = new ArrayList<>();
            for (int j = 0; j < 20; j++) {
                results.add(first.submit(JobSpec.of("spread-" + j, List.of(TaskSpec.of("t", "noop", Map.of()))))
                        .toCompletableFuture());
            }
            for (var f : results) {
                JobResult r = f.get(60, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
            }
            long onFirst = first.jobsEnded(JobResult.Outcome.SUCCEEDED);
            long onSecond = second.jobsEnded(JobResult.Outcome.SUCCEEDED);
            assertEquals(20, onFirst + onSecond);
            assertTrue(onFirst > 0 && onSecond > 0, "all 20 submitted to the first; jobs on the first " + onFirst
                    + ", on the second " + onSecond);
        }
    }

    @Test
    void shouldJournalTheJobsOfEveryMemberInTheServedFile() throws Exception {
        int port = NodeProcess.freePort();
        String common = """
                colony.persistence.journal = h2
                colony.placement.policy = round-robin
                colony.learner.enabled = off
                """;
        try (Colony first = Members.start(dir, "s1", 1, port, List.of(), common
                + "colony.persistence.h2.serve-port = 0\n")) {
            String jobId = "served-" + UUID.randomUUID();
            try (Colony second = Members.start(dir, "s2", 1, NodeProcess.freePort(), List.of("127.0.0.1:" + port),
                    common + "colony.persistence.h2.served-by = \"" + dir.resolve("s1").toString().replace('\\', '/')
                            + "\"\n")) {
                TestProbe.create(second.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                    assertEquals(Set.of("s1", "s2"), second.nodes().stream().map(NodeDescriptor::name)
                            .collect(Collectors.toCollection(TreeSet::new)));
                    return null;
                });
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", 20)));
                }
                // Submitted to the second member: the job lives there (colony.jobs.placement = submitter).
                JobResult r = second.submit(JobSpec.of(jobId, tasks)).toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals(Set.of("s1", "s2"), r.tasks().values().stream().map(t -> t.node())
                        .collect(Collectors.toSet()), "round-robin over both members' nodes");
                assertEquals(1, second.jobsEnded(JobResult.Outcome.SUCCEEDED), "the job's entity ran on the second");
                assertEquals(0, first.jobsEnded(JobResult.Outcome.SUCCEEDED));
            }
            // The second member left: its job recovers on the first from the served file.
            JobResult again = first.result(jobId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertTrue(again.succeeded(), again.reason());
            assertEquals(6, again.tasks().size());
        }
    }
}
