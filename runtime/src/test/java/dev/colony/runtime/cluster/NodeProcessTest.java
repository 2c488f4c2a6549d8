package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.typed.Cluster;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
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

/** {@code colony node} as a process of its own: another runtime joins it, and SIGTERM makes it leave. */
@Tag("postgres")
class NodeProcessTest {

    @TempDir
    Path dir;

    @Test
    void shouldJoinANodeProcessShareWorkWithItAndSeeItLeaveOnSigterm() throws Exception {
        int port = NodeProcess.freePort();
        NodeProcess node = NodeProcess.start(dir.resolve("node.out"), "--name", "proc-1", "--port", String.valueOf(port),
                "--cpus", "1", "--memory", "1g", "--speed", "2", "--data-dir", dir.resolve("p1").toString(),
                "--set", "colony.learner.enabled=off", "--policy", "round-robin");
        Process child = node.process();
        try (Colony local = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(
                PostgresServer.journalConfig() + """

                colony.persistence.data-dir = "%s"
                colony.node { name = local-2, cpus = 1, memory = 1GiB }
                colony.seed-nodes = ["127.0.0.1:%d"]
                colony.start-timeout = 90s
                colony.placement.policy = round-robin
                colony.learner.enabled = off
                """.formatted(dir.resolve("l2").toString().replace('\\', '/'), port))))) {
            TestProbe<Object> probe = TestProbe.create(local.system());
            probe.awaitAssert(Duration.ofSeconds(30), () -> {
                assertEquals(Set.of("local-2", "proc-1"),
                        local.nodes().stream().map(NodeDescriptor::name).collect(Collectors.toSet()));
                return null;
            });
            NodeDescriptor remote = local.nodes().stream().filter(n -> n.name().equals("proc-1")).findFirst().orElseThrow();
            assertEquals(2.0, remote.speedFactor());
            List<TaskSpec> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", 20)));
            }
            JobResult r = local.submit(JobSpec.of("procs-" + UUID.randomUUID(), tasks)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.reason());
            assertEquals(Set.of("local-2", "proc-1"), r.tasks().values().stream().map(t -> t.node())
                    .collect(Collectors.toSet()));
            assertTrue(node.output().contains("node proc-1 up at akka://colony@127.0.0.1:" + port), node.output());

            // SIGTERM while a task runs there: the node lets it finish, hands back its queue, then leaves
            String slow = "drain-" + UUID.randomUUID();
            List<TaskSpec> long_ = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long_.add(TaskSpec.of("s" + i, "spin", Map.of("work", 3000))); // 1.5 s on proc-1 (speed 2)
            }
            var pending = local.submit(JobSpec.of(slow, long_));
            String[] runningThere = new String[1];
            probe.awaitAssert(Duration.ofSeconds(30), () -> {
                var status = local.status(slow).toCompletableFuture().get(10, TimeUnit.SECONDS);
                runningThere[0] = status.tasks().entrySet().stream().filter(e -> "proc-1".equals(e.getValue().node())
                        && e.getValue().state() == TaskSummary.TaskState.RUNNING).map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new AssertionError("nothing runs on proc-1 yet: " + status.tasks()));
                // its kernel runs (a task is RUNNING from its lease's grant; its Run may still travel)
                assertTrue(local.load(remote).toCompletableFuture().get(10, TimeUnit.SECONDS).running() >= 1);
                return null;
            });
            child.destroy(); // SIGTERM: coordinated shutdown drains the node, then leaves the cluster
            JobResult drained = pending.toCompletableFuture().get(90, TimeUnit.SECONDS);
            assertTrue(drained.succeeded(), drained.reason());
            assertEquals("proc-1", drained.tasks().get(runningThere[0]).node(), "the running task finished there");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the node process did not stop: " + node.output());
            // A graceful leave removes the member at once; a crash would wait for failure detection and
            // the split brain resolver (stable-after 20 s) to down it.
            probe.awaitAssert(Duration.ofSeconds(15), () -> {
                assertEquals(1, Cluster.get(local.system()).state().members().size());
                assertEquals(Set.of("local-2"), local.nodes().stream().map(NodeDescriptor::name)
                        .collect(Collectors.toSet()));
                return null;
            });
        } finally {
            child.destroyForcibly();
        }
    }
}
