package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
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
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes (this JVM, the seed, and two {@code colony node} processes) on one
 * PostgreSQL journal run a 57-task job whose intermediate results are 2 MiB matrices, stored as
 * tensors where they were made and fetched over the data plane. The victim is killed with
 * {@code kill -9} while it holds a matrix that a task not yet started needs: that task finds it
 * lost, the job has the producer run again on a survivor (lineage), and the job completes with
 * the same results as a run without a failure; every task's final result is recorded once.
 */
@Tag("postgres")
class LineageFailoverTest {

    private static final int LAYER = 16;
    private static final List<String> SETTINGS = List.of(
            "akka.cluster.split-brain-resolver.stable-after=3s", // downs the victim soon after it dies
            "colony.jobs.redeliver-every=2s", // its lost task entities restart soon
            "colony.data.idle-timeout=3s", // a fetch from the dead victim fails soon
            "colony.data.term-length=4m", "colony.placement.policy=round-robin", "colony.learner.enabled=off");

    @TempDir
    Path dir;

    @Test
    void shouldRunLostProducersAgainWhenANodeProcessIsKilledMidJob() throws Exception {
        int seed = NodeProcess.freePort();
        List<NodeProcess> children = new ArrayList<>();
        try (Colony first = member("m1", seed)) {
            NodeProcess survivor = node("n2", seed);
            children.add(survivor);
            NodeProcess victim = node("victim", seed);
            children.add(victim);
            TestProbe<Object> probe = TestProbe.create(first.system());
            probe.awaitAssert(Duration.ofSeconds(90), () -> {
                assertEquals(Set.of("m1", "n2", "victim"), names(first.nodes()));
                return null;
            });
            JobSpec spec = job("lineage-" + UUID.randomUUID());
            var result = first.submit(spec);
            // kill -9 mid-job, once the victim holds a product that a task not released yet will read
            AtomicReference<JobStatus> atKill = new AtomicReference<>();
            probe.awaitAssert(Duration.ofSeconds(120), () -> {
                JobStatus s = first.status(spec.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertTrue(heldForAWaitingReader(spec, s), "not yet: " + s.tasks());
                atKill.set(s);
                return null;
            });
            victim.process().destroyForcibly();
            JobResult r = awaitResult(first, spec.id(), result.toCompletableFuture());
            assertTrue(r.succeeded(), r.reason() + "\nsurvivor:\n" + survivor.output());
            assertEquals(4 * LAYER - 7, r.tasks().size());

            // The tasks the victim was running are re-negotiated on the others; producers whose
            // matrix was lost ran again there.
            atKill.get().tasks().forEach((id, t) -> {
                if ("victim".equals(t.node()) && t.state() == TaskSummary.TaskState.RUNNING) {
                    assertTrue(Set.of("m1", "n2").contains(r.tasks().get(id).node()), id + ": " + r.tasks().get(id));
                }
            });
            List<String> rerun = r.tasks().entrySet().stream().filter(e -> e.getValue().reruns() > 0)
                    .map(Map.Entry::getKey).toList();
            assertFalse(rerun.isEmpty(), "no producer ran again: " + r.tasks());
            System.out.printf("lineage: killed the victim holding %d results, running %d tasks; %d tasks ran again %s;"
                    + " job took %d ms%n", atKill.get().tasks().values().stream().filter(t -> "victim".equals(t.node())
                            && t.state() == TaskSummary.TaskState.SUCCEEDED).count(),
                    atKill.get().tasks().values().stream().filter(t -> "victim".equals(t.node())
                            && t.state() == TaskSummary.TaskState.RUNNING).count(), rerun.size(), rerun, r.elapsedMs());
            rerun.forEach(id -> assertTrue(Set.of("m1", "n2").contains(r.tasks().get(id).node()), id));

            assertEachResultRecordedOnce(first, spec, r);
            // Same results as a run that loses nothing.
            JobSpec again = job("reference-" + UUID.randomUUID());
            JobResult ref = first.submit(again).toCompletableFuture().get(240, TimeUnit.SECONDS);
            assertTrue(ref.succeeded(), ref.reason());
            for (int i = 0; i < LAYER; i++) {
                String id = "d" + i;
                assertClose(ref.outputs().get(id), r.outputs().get(id), id);
            }
        } finally {
            children.forEach(c -> c.process().destroyForcibly());
        }
    }

    /** The job's result, or a failure showing where its tasks stand when it does not end in time. */
    private static JobResult awaitResult(Colony colony, String jobId, java.util.concurrent.CompletableFuture<JobResult> r)
            throws Exception {
        try {
            return r.get(180, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            JobStatus s = colony.status(jobId).toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("job " + jobId + " did not end within 180 s: " + s.phase() + " "
                    + new java.util.TreeMap<>(s.tasks()), e);
        }
    }

    /**
     * 8 seeded 512×512 f64 matrices (a), then three layers of 16 multiplies: b and c keep their
     * product as a tensor output, d returns its summary (sum and Frobenius norm).
     */
    static JobSpec job(String id) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(TaskSpec.of("a" + i, "matrix", Map.of("rows", 512, "cols", 512, "dtype", "f64", "seed", i)));
        }
        // The last layer also waits for a gate (6 s of CPU), so that matrices of the middle layer wait
        // for readers that are not released yet for seconds, whatever the speed of the rest: without
        // it a fast run could end before the test saw such a moment to kill the victim in.
        tasks.add(TaskSpec.of("gate", "spin", Map.of("work", 6000)));
        for (int i = 0; i < LAYER; i++) {
            tasks.add(gemm("b" + i, "matrix", "a" + (i % 8), "a" + ((i + 3) % 8)));
            tasks.add(gemm("c" + i, "matrix", "b" + i, "b" + ((i + 5) % LAYER)));
            tasks.add(gemm("d" + i, "summary", "c" + i, "c" + ((i + 7) % LAYER)).withDependsOn(List.of("gate")));
        }
        return JobSpec.of(id, tasks);
    }

    private static TaskSpec gemm(String id, String output, String a, String b) {
        return TaskSpec.of(id, "gemm", Map.of("dtype", "f64", "output", output)).withInputs(Map.of("a", a, "b", b));
    }

    /**
     * Whether a multiply that succeeded on the victim (its matrix made from other matrices, which
     * may be lost too) has a reader that has not been released yet.
     */
    private static boolean heldForAWaitingReader(JobSpec spec, JobStatus s) {
        for (TaskSpec t : spec.tasks()) {
            TaskSummary child = s.tasks().get(t.id());
            if (child == null || child.state() != TaskSummary.TaskState.PENDING) {
                continue;
            }
            for (String parent : t.inputs().values()) {
                TaskSummary p = s.tasks().get(parent);
                if (p != null && p.state() == TaskSummary.TaskState.SUCCEEDED && "victim".equals(p.node())
                        && !parent.startsWith("a")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * In the job's journal each task succeeded once, plus once for every time its output was
     * found lost; in each task's journal likewise, once plus once per rerun. The result holds the
     * last.
     */
    private static void assertEachResultRecordedOnce(Colony colony, JobSpec spec, JobResult r) {
        JournalReader journal = new JournalReader(colony.system(), Duration.ofSeconds(30));
        Map<String, Integer> succeeded = new HashMap<>();
        Map<String, Integer> lost = new HashMap<>();
        for (JournalEntry e : journal.events("ColonyJob|" + spec.id())) {
            for (JobEvent event : JobEvent.unbatched((JobEvent) e.event())) {
                if (event instanceof JobEvent.TaskSucceeded s) {
                    succeeded.merge(s.taskId(), 1, Integer::sum);
                } else if (event instanceof JobEvent.OutputsLost l) {
                    l.producers().forEach(p -> lost.merge(p, 1, Integer::sum));
                }
            }
        }
        for (TaskSpec t : spec.tasks()) {
            int reruns = r.tasks().get(t.id()).reruns();
            assertEquals(lost.getOrDefault(t.id(), 0), reruns, t.id());
            assertEquals(1 + reruns, succeeded.getOrDefault(t.id(), 0), t.id() + " in the job's journal");
        }
        assertTrue(journal.persistenceIds().stream().noneMatch(p -> p.startsWith("ColonyTask|" + spec.id() + "/")),
                "tasks journal nothing of their own: their job does");
    }

    private static void assertClose(JsonNode expected, JsonNode actual, String id) {
        for (String field : List.of("sum", "frobenius")) {
            double e = expected.get(field).asDouble();
            double a = actual.get(field).asDouble();
            assertEquals(e, a, 1e-9 * Math.max(1, Math.abs(e)), id + "." + field);
        }
    }

    private Colony member(String name, int port) {
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(PostgresServer.journalConfig() + """

                colony.persistence.data-dir = "%s"
                colony.node { name = %s, cpus = 2, memory = 1GiB }
                colony.port = %d
                colony.start-timeout = 90s
                %s
                """.formatted(dir.resolve(name).toString().replace('\\', '/'), name, port,
                String.join("\n", SETTINGS).replace("=", " = ")))));
    }

    private NodeProcess node(String name, int seed) throws Exception {
        List<String> args = new ArrayList<>(List.of("--name", name, "--port", String.valueOf(NodeProcess.freePort()),
                "--seed", "127.0.0.1:" + seed, "--cpus", "2", "--memory", "1g", "--data-dir",
                dir.resolve(name).toString()));
        SETTINGS.forEach(s -> args.addAll(List.of("--set", s)));
        return NodeProcess.start(dir.resolve(name + ".out"), args.toArray(String[]::new));
    }

    private static Set<String> names(List<NodeDescriptor> nodes) {
        return nodes.stream().map(NodeDescriptor::name).collect(Collectors.toSet());
    }
}
