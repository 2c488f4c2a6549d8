package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colony.task.local-first-wait} with the default policy on two members: a job's tiny tasks
 * run on the node of the process that hosts the job (no offer crosses processes), while tasks that
 * queue up there spill over to the other member.
 */
@Tag("postgres")
class LocalityTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTinyTasksInTheirJobsProcessAndSpillQueuedOnesOver() throws Exception {
        String config = PostgresServer.journalConfig() + """

                colony.placement.policy = least-loaded
                colony.learner.enabled = off
                """;
        int port = NodeProcess.freePort();
        try (Colony first = Members.start(dir, "l1", 1, port, List.of(), config);
             Colony second = Members.start(dir, "l2", 1, NodeProcess.freePort(), List.of("127.0.0.1:" + port), config)) {
            TestProbe.create(first.system()).awaitAssert(Duration.ofSeconds(30), () -> {
                for (Colony m : List.of(first, second)) {
                    assertEquals(Set.of("l1", "l2"), m.nodes().stream().map(NodeDescriptor::name)
                            .collect(Collectors.toSet()));
                }
                return null;
            });
            for (int j = 0; j < 4; j++) { // jobs land on either member (by the hash of their id)
                JobResult tiny = run(first, tasks(200, "noop", Map.of()));
                assertEquals(1, nodes(tiny).size(), "every tiny task ran in its job's process: " + nodes(tiny));
            }
            // Tasks of 100 ms of CPU, 8 at once, on 1-cpu nodes: once a node has run some (a node
            // estimates a task of unknown length from its recent runs), a job's local offers wait
            // past 20 ms and its tasks spill over. A job on a node that only ran tiny tasks yet
            // keeps its first burst, so up to four jobs.
            Set<Set<String>> spread = new java.util.HashSet<>();
            for (int j = 0; j < 4 && !spread.contains(Set.of("l1", "l2")); j++) {
                spread.add(nodes(run(j % 2 == 0 ? first : second, tasks(8, "spin", Map.of("work", 100)))));
            }
            assertTrue(spread.contains(Set.of("l1", "l2")), "queued tasks spilled over: " + spread);
        }
    }

    private static JobResult run(Colony colony, List<TaskSpec> tasks) throws Exception {
        JobResult r = colony.submit(JobSpec.of("locality-" + UUID.randomUUID(), tasks)).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertTrue(r.succeeded(), r.reason());
        return r;
    }

    private static List<TaskSpec> tasks(int n, String kernel, Map<String, Object> params) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TaskSpec.of("t" + i, kernel, params));
        }
        return tasks;
    }

    private static Set<String> nodes(JobResult r) {
        return r.tasks().values().stream().map(t -> t.node()).collect(Collectors.toSet());
    }
}
