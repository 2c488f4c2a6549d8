package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobEvent;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.persistence.JournalEntry;
import dev.colony.persistence.JournalReader;
import dev.colony.runtime.Colony;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * A 100,000-task job on three members (two runtimes here and a {@code colony node} process);
 * {@code kill -9} of the process once a fifth of the tasks succeeded: the job ends Succeeded with
 * every task's result journalled once, whichever member hosted the job.
 */
@Tag("postgres")
class LargeJobFailoverTest {

    private static final int TASKS = 100_000;
    private static final String FAST_DOWNING = "akka.cluster.split-brain-resolver.stable-after = 3s";
    private static final String FAST_REDELIVERY = "colony.jobs.redeliver-every = 2s";

    @TempDir
    Path dir;

    private Colony member(String name, int port, int seedPort) {
        return Members.start(dir, name, 2, port, seedPort == port ? List.of() : List.of("127.0.0.1:" + seedPort),
                PostgresServer.journalConfig() + """

                colony.start-timeout = 90s
                colony.learner.enabled = off
                %s
                %s
                """.formatted(FAST_DOWNING, FAST_REDELIVERY));
    }

    @Test
    void shouldJournalEveryResultOnceWhenAMemberIsKilledDuringAHundredThousandTaskJob() throws Exception {
        int seed = NodeProcess.freePort();
        NodeProcess victim = null;
        try (Colony first = member("m1", seed, seed)) {
            victim = NodeProcess.start(dir.resolve("victim.out"), "--name", "victim", "--port",
                    String.valueOf(NodeProcess.freePort()), "--seed", "127.0.0.1:" + seed, "--cpus", "2",
                    "--memory", "1g", "--data-dir", dir.resolve("victim").toString(),
                    "--set", "colony.learner.enabled=off", "--set", FAST_DOWNING.replace(" = ", "="),
                    "--set", FAST_REDELIVERY.replace(" = ", "="));
            try (Colony third = member("m3", NodeProcess.freePort(), seed)) {
                TestProbe<Object> probe = TestProbe.create(first.system());
                probe.awaitAssert(Duration.ofSeconds(60), () -> {
                    assertEquals(Set.of("m1", "m3", "victim"), names(first.nodes()));
                    assertEquals(Set.of("m1", "m3", "victim"), names(third.nodes()));
                    return null;
                });
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    tasks.add(TaskSpec.of("t" + i, "noop", Map.of()));
                }
                JobSpec spec = JobSpec.of("large-failover-" + UUID.randomUUID(), tasks);
                CompletionStage<JobResult> result = first.submit(spec);
                probe.awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(200), () -> {
                    JobStatus s = first.progress(spec.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertTrue(s.count(TaskSummary.TaskState.SUCCEEDED) >= TASKS / 5, s.counts() + "");
                    return null;
                });
                victim.process().destroyForcibly(); // SIGKILL
                JobResult r = result.toCompletableFuture().get(300, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals(TASKS, r.outputs().size());
                assertTrue(r.tasks().values().stream().anyMatch(t -> "victim".equals(t.node())),
                        "the killed member had run tasks of the job");
                assertEachResultJournalledOnce(first, spec);
            }
        } finally {
            if (victim != null) {
                victim.process().destroyForcibly();
            }
        }
    }

    private static void assertEachResultJournalledOnce(Colony colony, JobSpec spec) {
        Map<String, Integer> succeeded = new HashMap<>();
        int tasksAdded = 0;
        for (JournalEntry e : new JournalReader(colony.system(), Duration.ofSeconds(60)).events("ColonyJob|" + spec.id())) {
            if (e.event() instanceof JobEvent.TaskSucceeded s) {
                succeeded.merge(s.taskId(), 1, Integer::sum);
            } else if (e.event() instanceof JobEvent.TasksAdded a) {
                tasksAdded += a.tasks().size();
            }
        }
        assertEquals(TASKS - JobEvent.TASKS_PER_EVENT, tasksAdded, "the spec journalled in chunks, the last in Accepted");
        assertEquals(TASKS, succeeded.size());
        var twice = succeeded.entrySet().stream().filter(e -> e.getValue() != 1).limit(5).toList();
        assertTrue(twice.isEmpty(), "journalled more than once: " + twice);
    }

    private static Set<String> names(List<NodeDescriptor> nodes) {
        return nodes.stream().map(NodeDescriptor::name).collect(Collectors.toSet());
    }
}
