package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.kernel.GemmKernel;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.kernel.MatrixKernel;
import dev.colony.actors.kernel.NoopKernel;
import dev.colony.actors.kernel.SpinKernel;
import dev.colony.actors.kernel.SumKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobValidatorTest {

    private static final KernelRegistry KERNELS = KernelRegistry.of(new GemmKernel(), new NoopKernel(),
            new SpinKernel(), new SumKernel());
    private static final Map<String, ResourceRequest> NODES = Map.of(
            "small", new ResourceRequest(2, 4L << 30, 0, 0),
            "big", new ResourceRequest(8, 32L << 30, 1, 16L << 30));

    private final JobValidator validator = new JobValidator(KERNELS, JobLimits.DEFAULTS);

    private static TaskSpec noop(String id, String... deps) {
        return TaskSpec.of(id, "noop", Map.of()).withDependsOn(List.of(deps));
    }

    private String rejection(JobSpec spec) {
        var r = validator.validate(spec, NODES);
        assertTrue(r.accepted().isEmpty(), "expected a rejection");
        return r.reason();
    }

    @Test
    void shouldAcceptValidJobAndFillDefaults() {
        var spec = JobSpec.of("ok", List.of(noop("a"), TaskSpec.of("b", "spin", Map.of("work", 5))
                .withInputs(Map.of("x", "a"))));
        var r = validator.validate(spec, NODES);
        assertEquals(List.of(), r.problems());
        TaskSpec b = r.accepted().orElseThrow().tasks().get(1);
        assertEquals(JobLimits.DEFAULTS.defaultMaxAttempts(), b.maxAttempts());
        assertEquals(JobLimits.DEFAULTS.defaultTimeoutMs(), b.timeoutMs());
        assertEquals(ResourceRequest.ONE_CPU, b.resources());
    }

    private static TaskSpec gemm(String id, Map<String, ?> params, Map<String, String> inputs) {
        return TaskSpec.of(id, "gemm", params).withInputs(inputs);
    }

    /** A gemm reads only inputs a and b, and shapes that cannot multiply are found before anything runs. */
    @Test
    void shouldRejectUnknownInputsAndShapesThatCannotMultiply() {
        var validator = new JobValidator(KernelRegistry.of(new GemmKernel(), new MatrixKernel(), new NoopKernel()),
                JobLimits.DEFAULTS);
        TaskSpec a = TaskSpec.of("a", "matrix", Map.of("rows", 4, "cols", 5));
        TaskSpec b = TaskSpec.of("b", "matrix", Map.of("rows", 5, "cols", 3));
        TaskSpec c = TaskSpec.of("c", "matrix", Map.of("rows", 3, "cols", 2, "dtype", "f64"));
        var chain = JobSpec.of("chain", List.of(a, b, c,
                gemm("ab", Map.of("output", "matrix"), Map.of("a", "a", "b", "b")),
                gemm("abb", Map.of("output", "matrix", "k", 5), Map.of("b", "b")),
                gemm("abc", Map.of(), Map.of("a", "ab", "b", "c"))));
        String r = validator.validate(chain, NODES).reason();
        assertTrue(r.contains("task 'abc': gemm: input a is 4×3 f32 but input b is f64: both must have one dtype"), r);
        assertTrue(!r.contains("'abb'") && !r.contains("columns"), r); // ab is 4×3, c has 3 rows; abb's A is n×k = 256×5
        var wrong = JobSpec.of("wrong", List.of(a, c, noop("n"),
                gemm("x", Map.of(), Map.of("a", "a", "b", "c")),
                gemm("y", Map.of("k", 7), Map.of("b", "c")),
                gemm("z", Map.of(), Map.of("c", "n")),
                TaskSpec.of("m", "matrix", Map.of()).withInputs(Map.of("in", "n"))));
        String w = validator.validate(wrong, NODES).reason();
        assertTrue(w.contains("task 'x': gemm: input a is 4×5 f32 but input b is 3×2: A's columns must equal B's rows"),
                w);
        assertTrue(w.contains("task 'y': gemm: A (generated from m, k, dtype) is 256×7 f32 but input b is 3×2"), w);
        assertTrue(w.contains("task 'z': unknown input 'c'; gemm reads [a, b]"), w);
        assertTrue(w.contains("task 'm': unknown input 'in'; matrix reads no inputs"), w);
        var notSquare = JobSpec.of("not-square", List.of(a, b, gemm("ab", Map.of("output", "matrix"), Map.of("a", "a", "b", "b")),
                gemm("abb", Map.of(), Map.of("a", "ab", "b", "ab")).withDependsOn(List.of("a"))));
        assertTrue(validator.validate(notSquare, NODES).reason().contains("input a is 4×3 f32 but input b is 4×3"));
        var ok = JobSpec.of("ok", List.of(a, b, gemm("ab", Map.of("output", "matrix"), Map.of("a", "a", "b", "b"))));
        assertEquals(List.of(), validator.validate(ok, NODES).problems());
    }

    @Test
    void shouldRejectCyclicJobNamingTheCycle() {
        var spec = JobSpec.of("cyc", List.of(noop("a", "c"), noop("b", "a"), noop("c", "b"), noop("d")));
        String reason = rejection(spec);
        assertTrue(reason.contains("dependency cycle: a -> c -> b -> a"), reason);
    }

    @Test
    void shouldRejectDuplicateTaskIds() {
        String reason = rejection(JobSpec.of("dup", List.of(noop("a"), noop("b"), noop("a"))));
        assertTrue(reason.contains("duplicate task id 'a' (tasks[0] and tasks[2])"), reason);
    }

    @Test
    void shouldRejectDependencyOnMissingTask() {
        String reason = rejection(JobSpec.of("miss", List.of(noop("a", "ghost"))));
        assertTrue(reason.contains("task 'a' dependsOn names task 'ghost', which is not in the job"), reason);
        reason = rejection(JobSpec.of("miss2", List.of(noop("a").withInputs(Map.of("in", "nope")))));
        assertTrue(reason.contains("inputs.in names task 'nope'"), reason);
    }

    @Test
    void shouldRejectUnknownKernelListingKnownOnes() {
        String reason = rejection(JobSpec.of("k", List.of(TaskSpec.of("a", "fft", Map.of()))));
        assertTrue(reason.contains("unknown kernel 'fft'; known kernels: gemm, noop, spin, sum"), reason);
    }

    @Test
    void shouldRejectResourcesNoNodeCanSatisfyNamingLargestNode() {
        var t = noop("a").withResources(new ResourceRequest(16, 0, 0, 0));
        String reason = rejection(JobSpec.of("huge", List.of(t)));
        assertTrue(reason.contains("no node can ever satisfy resources cpus=16"), reason);
        assertTrue(reason.contains("the largest node, 'big', has cpus=8, memory=32GiB, gpus=1, gpuMemory=16GiB"), reason);
    }

    @Test
    void shouldSkipCapacityCheckWhenNoNodeIsKnownYet() {
        var t = noop("a").withResources(new ResourceRequest(16, 0, 0, 0));
        assertTrue(validator.validate(JobSpec.of("early", List.of(t)), Map.of()).accepted().isPresent());
    }

    @Test
    void shouldRejectNegativeAndAbsurdValuesNamingFieldValueAndLimit() {
        var spec = new JobSpec("bad", List.of(
                noop("a").withResources(new ResourceRequest(-1, -5, 0, 0)),
                noop("b").withResources(new ResourceRequest(1e9, 0, 1000, 0)),
                noop("c").withMaxAttempts(0),
                noop("d").withTimeoutMs(-3),
                TaskSpec.of("e", "spin", Map.of("work", -10)),
                TaskSpec.of("f", "gemm", Map.of("n", 1_000_000, "dtype", "f16"))), 5_000_000, Map.of());
        String reason = rejection(spec);
        for (String expected : List.of("resources.cpus = -1.0 must lie in [0.01, 4096] (colony.jobs.min-cpus)",
                "resources.memoryBytes = -5 must lie in [0, 1125899906842624]",
                "resources.cpus = 1.0E9 must lie in [0.01, 4096]", "resources.gpus = 1000 must lie in [0, 64]",
                "maxAttempts = 0 must lie in [1, 100]", "timeoutMs = -3 must lie in [1, 604800000]",
                "parameter 'work' = -10 must be a number in [0.0, 8.64E7]",
                "parameter 'n' = 1000000 must be an integer in [1, 8192]",
                "parameter 'dtype' = \"f16\" must be one of f32, f64",
                "priority = 5000000 must lie in [-1000000, 1000000]")) {
            assertTrue(reason.contains(expected), "missing '" + expected + "' in: " + reason);
        }
    }

    @Test
    void shouldRejectTinyCpusAndReserveAtLeastTheKernelsMemoryHint() {
        String reason = rejection(JobSpec.of("tiny", List.of(noop("a").withResources(new ResourceRequest(1e-9, 0, 0, 0)))));
        assertTrue(reason.contains("resources.cpus = 1.0E-9 must lie in [0.01, 4096] (colony.jobs.min-cpus)"), reason);
        var gemm = TaskSpec.of("g", "gemm", Map.of("n", 1024)).withResources(new ResourceRequest(1, 0, 0, 0));
        var accepted = validator.validate(JobSpec.of("hinted", List.of(gemm)), Map.of()).accepted().orElseThrow();
        long hint = new GemmKernel().resourceHint(gemm.params()).memoryBytes();
        assertTrue(hint > 0);
        assertEquals(hint, accepted.tasks().getFirst().resources().memoryBytes());
    }

    @Test
    void shouldSpellOutTheFirstProblemsAndCountTheRest() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tasks.add(TaskSpec.of("t" + i, "teleport-" + "x".repeat(1_000), Map.of()));
        }
        String reason = rejection(JobSpec.of("noisy", tasks));
        assertTrue(reason.endsWith("; and 980 more problems"), reason.substring(reason.length() - 100));
        assertTrue(reason.length() < 20 * 500, "reason of " + reason.length() + " characters");
    }

    @Test
    void shouldRejectUnknownKernelParameterAndBadIds() {
        String reason = rejection(JobSpec.of("bad id!", List.of(TaskSpec.of("a", "spin", Map.of("work", 1, "wrok", 2)))));
        assertTrue(reason.contains("job id = 'bad id!' may hold only letters"), reason);
        assertTrue(reason.contains("kernel 'spin' has no parameter 'wrok'; known: work"), reason);
    }

    @Test
    void shouldRejectEmptyJobAndNullTask() {
        assertTrue(rejection(JobSpec.of("empty", List.of())).contains("has no tasks"));
        String reason = rejection(JobSpec.of("nul", Arrays.asList(noop("a"), null)));
        assertTrue(reason.contains("tasks[1] is null"), reason);
    }

    @Test
    void shouldRejectTooManyTasks() {
        var v = new JobValidator(KERNELS, new JobLimits(3, 3, 100, 1000, 10_000));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(noop("t" + i));
        }
        String reason = v.validate(JobSpec.of("many", tasks), NODES).reason();
        assertTrue(reason.contains("job has 4 tasks; the limit is 3"), reason);
    }

    @Test
    void shouldFindCycleInLongChainWithoutStackOverflow() {
        List<TaskSpec> tasks = new ArrayList<>();
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            tasks.add(noop("t" + i, "t" + ((i + 1) % n)));
        }
        var cycle = JobValidator.findCycle(tasks).orElseThrow();
        assertEquals(n + 1, cycle.size());
        tasks.set(n - 1, noop("t" + (n - 1)));
        assertTrue(JobValidator.findCycle(tasks).isEmpty());
    }
}
