package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.runtime.Colony;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

    /** Short enough for a test; the same on every member. */
    private static final String FAST_DOWNING = "akka.cluster.split-brain-resolver.stable-after = 3s";
    /** A task entity lost with the killed member is restarted by its job's next redelivery. */
    private static final String FAST_REDELIVERY = "colony.jobs.redeliver-every = 2s";

    @TempDir
    Path dir;

    private Colony member(String name, int port, int seedPort) {
        return Members.start(dir, name, 2, port, seedPort == port ? List.of() : List.of("127.0.0.1:" + seedPort),
                PostgresServer.journalConfig() + """

                colony.start-timeout = 90s
                colony.placement.policy = round-robin
                colony.learner.enabled = off
                %s
                %s
                """.formatted(FAST_DOWNING, FAST_REDELIVERY));
    }

    @Test
    void shouldCompleteAJobWhenANodeProcessIsKilledMidJob() throws Exception {
        int seed = NodeProcess.freePort();
        NodeProcess victim = null;
        try (Colony first = member("m1", seed, seed)) {
            victim = NodeProcess.start(dir.resolve("victim.out"), "--name", "victim", "--port",
                    String.valueOf(NodeProcess.freePort()), "--seed", "127.0.0.1:" + seed, "--cpus", "2",
                    "--memory", "1g", "--data-dir", dir.resolve("victim").toString(), "--policy", "round-robin",
                    "--set", "colony.learner.enabled=off", "--set", FAST_DOWNING.replace(" = ", "="),
                    "--set", FAST_REDELIVERY.replace(" = ", "="));
            try (Colony third = member("m3", NodeProcess.freePort(), seed)) {
                TestProbe<Object> probe = TestProbe.create(first.system());
                probe.awaitAssert(Duration.ofSeconds(60), () -> {
                    // the job and its tasks may live on either runtime: both must know the victim's node
                    assertEquals(Set.of("m1", "m3", "victim"), names(first.nodes()));
                    assertEquals(Set.of("m1", "m3", "victim"), names(third.nodes()));
                    return null;
                });
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
                assertEquals(Set.of("m1", "m3"), names(first.nodes()));
            }
        } finally {
            if (victim != null) {
                victim.process().destroyForcibly();
            }
        }
    }

    private static Set<String> names(List<NodeDescriptor> nodes) {
        return nodes.stream().map(NodeDescriptor::name).collect(Collectors.toSet());
    }
}
