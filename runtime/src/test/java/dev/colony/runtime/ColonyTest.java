package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobManager;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobResult.Outcome;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** End to end through the embedded runtime: sharded jobs and tasks negotiating with three nodes. */
class ColonyTest {

    static Colony colony;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() {
        // On the real default journal (H2 in a file), with large outputs going to the output store.
        colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s", outputs.inline-limit = 1KiB }
                colony.jobs.snapshot-every = 3
                colony.node { cpus = 2, memory = 4GiB }
                colony.nodes = [{ name = "n2", cpus = 2 }, { name = "fast", cpus = 1, speed-factor = 2.0 }]
                colony.kernels.classes = ["dev.colony.actors.kernel.TestKernels$Failing",
                  "dev.colony.actors.kernel.TestKernels$Hanging", "dev.colony.runtime.FlakyKernel"]
                colony.task.backoff-min = 1ms
                # every message that could cross a node is really serialized, to prove it can be
                akka.actor.serialize-messages = on
                """.formatted(dataDir.toString().replace("\\", "/")))));
    }

    @AfterAll
    static void stop() {
        colony.close();
    }

    static JobResult run(JobSpec spec) {
        return await(colony.submit(spec));
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static TaskSpec sum(String id, List<Integer> values, Map<String, String> inputs) {
        return TaskSpec.of(id, "sum", Map.of("values", values)).withInputs(inputs);
    }

    @Test
    void shouldRunDagPassingParentOutputsToChildren() {
        JobResult r = run(JobSpec.of("diamond", List.of(
                sum("a", List.of(1, 2), Map.of()),
                sum("b", List.of(10), Map.of("x", "a")),
                sum("c", List.of(100), Map.of("x", "a")),
                sum("d", List.of(), Map.of("left", "b", "right", "c")))));
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertEquals(3.0, r.outputs().get("a").asDouble());
        assertEquals(13.0, r.outputs().get("b").asDouble());
        assertEquals(103.0, r.outputs().get("c").asDouble());
        assertEquals(116.0, r.outputs().get("d").asDouble());
        r.tasks().values().forEach(t -> {
            assertEquals(1, t.attempts());
            assertNotNull(t.node());
            assertEquals("least-loaded", t.policy());
        });
    }

    @Test
    void shouldTellTheLearnerHowFastStoredInputsMoveBetweenNodes() {
        // a 64x64 f32 matrix (16 KiB) is over the 1 KiB inline limit: it goes to the output store
        JobResult r = run(JobSpec.of("moves", List.of(
                TaskSpec.of("p", "gemm", Map.of("n", 64, "output", "matrix")),
                TaskSpec.of("q", "gemm", Map.of("n", 64)).withInputs(Map.of("a", "p")))));
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.reason());
        TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(30), () -> {
            var pairs = await(colony.learner()).state().model().byPair();
            assertTrue(pairs.keySet().stream().anyMatch(k -> k.endsWith("->" + r.tasks().get("q").node()))
                    && pairs.values().stream().allMatch(t -> t.bytes() >= 16_384 && t.ms() > 0), pairs.toString());
            return null;
        });
    }

    @Test
    void shouldSpreadWorkAcrossNodes() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(TaskSpec.of("spin-" + i, "spin", Map.of("work", 30)));
        }
        JobResult r = run(JobSpec.of("spread", tasks));
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.reason());
        Set<String> nodes = new HashSet<>();
        r.tasks().values().forEach(t -> nodes.add(t.node()));
        assertTrue(nodes.size() >= 2, "all tasks ran on " + nodes);
    }

    @Test
    void shouldRetryFailingKernelThenFailJobWithKernelMessage() {
        JobResult r = run(JobSpec.of("doomed", List.of(
                TaskSpec.of("bad", "failing", Map.of("message", "disk on fire")).withMaxAttempts(3),
                sum("after", List.of(1), Map.of()).withDependsOn(List.of("bad")))));
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("task 'bad' failed after 3 attempts: kernel 'failing' failed: IllegalStateException: disk on fire",
                r.reason());
        assertEquals(3, r.tasks().get("bad").attempts());
        assertEquals(TaskSummary.TaskState.CANCELLED, r.tasks().get("after").state());
    }

    @Test
    void shouldSucceedOnRetryAfterOneFailedAttempt() {
        JobResult r = run(JobSpec.of("flaky", List.of(TaskSpec.of("f", "flaky", Map.of()))));
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertEquals(2, r.tasks().get("f").attempts());
        assertEquals("ok on attempt 2", r.outputs().get("f").asText());
    }

    @Test
    void shouldTimeOutHangingKernelWhileOtherJobsKeepRunning() {
        CompletionStage<JobResult> hanging = colony.submit(JobSpec.of("hangs", List.of(
                TaskSpec.of("h", "hanging", Map.of()).withTimeoutMs(300).withMaxAttempts(2))));
        JobResult good = run(JobSpec.of("unharmed", List.of(sum("s", List.of(4), Map.of()))));
        assertEquals(Outcome.SUCCEEDED, good.outcome());
        JobResult r = await(hanging);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.reason().contains("failed after 2 attempts: kernel 'hanging' timed out after 300 ms"), r.reason());
    }

    @Test
    void shouldRejectInvalidJobNamingEveryProblem() {
        JobResult r = run(JobSpec.of("invalid", List.of(
                TaskSpec.of("a", "fft", Map.of()),
                TaskSpec.of("b", "noop", Map.of()).withResources(new ResourceRequest(64, 0, 0, 0)),
                TaskSpec.of("c", "noop", Map.of()).withDependsOn(List.of("zzz")))));
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.reason().contains("unknown kernel 'fft'; known kernels: failing, flaky, gemm, hanging, matrix, noop, spin, sum"),
                r.reason());
        assertTrue(r.reason().contains("the largest node, 'n2', has cpus=2"), r.reason());
    }

    @Test
    void shouldRunAGemmTaskOnTheCoresItWasGranted() {
        JobResult r = run(JobSpec.of("gemm-cores", List.of(
                TaskSpec.of("g", "gemm", Map.of("n", 96)).withResources(new ResourceRequest(2, 0, 0, 0)))));
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertEquals(2, r.outputs().get("g").get("threads").asInt(), r.outputs().toString());
    }

    @Test
    void shouldRejectCycleThroughTheApi() {
        JobResult r = run(JobSpec.of("cycle", List.of(
                sum("x", List.of(), Map.of("in", "y")), sum("y", List.of(), Map.of("in", "x")))));
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.reason().contains("dependency cycle: x -> y -> x"), r.reason());
    }

    @Test
    void shouldRejectSecondJobWithSameId() {
        assertEquals(Outcome.SUCCEEDED, run(JobSpec.of("twice", List.of(sum("s", List.of(1), Map.of())))).outcome());
        JobResult again = run(JobSpec.of("twice", List.of(sum("s", List.of(1), Map.of()))));
        assertEquals(Outcome.REJECTED, again.outcome());
        assertTrue(again.reason().contains("job id 'twice' is already in use"), again.reason());
        assertEquals(Outcome.SUCCEEDED, await(colony.result("twice")).outcome());
    }

    @Test
    void shouldReportStatusOfRunningAndUnknownJobs() {
        assertEquals(JobStatus.Phase.UNKNOWN, await(colony.status("never-submitted")).phase());
        CompletionStage<JobResult> running = colony.submit(JobSpec.of("watched", List.of(
                TaskSpec.of("slow", "hanging", Map.of()).withTimeoutMs(60_000))));
        akka.actor.testkit.typed.javadsl.TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(10), () -> {
            JobStatus s = await(colony.status("watched"));
            assertEquals(JobStatus.Phase.RUNNING, s.phase());
            assertEquals(1, s.tasks().get("slow").attempts());
            return null;
        });
        colony.cancel("watched", "test is done with it");
        JobResult r = await(running);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("cancelled: test is done with it", r.reason());
        assertEquals(TaskSummary.TaskState.CANCELLED, r.tasks().get("slow").state());
    }

    @Test
    void shouldAcceptSubmitJobMessageSentToTheJobManager() {
        TestProbe<JobResult> probe = TestProbe.create(colony.system());
        colony.jobManager().tell(new JobManager.SubmitJob(JobSpec.of("by-message", List.of(
                sum("s", List.of(20, 22), Map.of()))), probe.getRef()));
        JobResult r = probe.expectMessageClass(JobResult.class, Duration.ofSeconds(30));
        assertEquals(Outcome.SUCCEEDED, r.outcome());
        assertEquals(42.0, r.outputs().get("s").asDouble());
    }

    @Test
    void shouldPlaceGpuTaskNowhereAndSaySo() {
        JobResult r = run(JobSpec.of("gpu", List.of(TaskSpec.of("g", "noop", Map.of())
                .withResources(new ResourceRequest(1, 0, 1, 0)))));
        assertEquals(Outcome.REJECTED, r.outcome());
        assertTrue(r.reason().contains("no node can ever satisfy resources cpus=1, memory=0B, gpus=1"), r.reason());
    }
}
