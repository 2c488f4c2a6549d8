package dev.colony.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colony.gpu.BlasBackends;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.GpuTiming;
import dev.colony.gpu.java.JavaBlas;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where the gemm kernel multiplies: on a GPU from the offload threshold up, on the CPU below it or
 * when the GPU fails, with the task's cores. The GPU here is a stand-in that multiplies on another
 * thread (as a bridge does), so this runs without one; the real bridge has its own tests.
 */
class GemmPlacementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Multiplies on its own thread, like a bridge's, or fails when told to. */
    static final class StandInGpu implements GpuAccess {
        final AtomicInteger calls = new AtomicInteger();
        final double threshold;
        final String failure;

        StandInGpu(double threshold, String failure) {
            this.threshold = threshold;
            this.failure = failure;
        }

        @Override
        public int device() {
            return 0;
        }

        @Override
        public double offloadMinFlops() {
            return threshold;
        }

        @Override
        public GpuTiming gemm(Matrix a, Matrix b, Matrix c) {
            calls.incrementAndGet();
            if (failure != null && failure.startsWith("timeout")) {
                throw new GpuAccess.Timeout(failure, null);
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            CompletableFuture.runAsync(() -> new JavaBlas(1).gemm(1, a, b, 0, c)).join(); // another thread
            return new GpuTiming(0.5, 2.0, 0.25);
        }
    }

    private static TaskContext context(int n, double cpus, GpuAccess gpu) {
        return new TaskContext("j", "t", 1, JSON.valueToTree(Map.of("n", n, "seed", 7)), "n1", 1, cpus,
                gpu == null ? List.of() : List.of(gpu));
    }

    @Test
    void shouldSendLargeMultipliesToTheGpuAndKeepSmallOnesOnTheCpu() throws Exception {
        StandInGpu gpu = new StandInGpu(2.0 * 64 * 64 * 64, null);
        JsonNode big = new GemmKernel().run(context(64, 1, gpu), Map.of());
        assertEquals("cublas", big.get("backend").asText());
        assertEquals(2.0, big.get("kernel_ms").asDouble());
        JsonNode small = new GemmKernel().run(context(63, 1, gpu), Map.of());
        assertEquals(BlasBackends.detected().best().name(), small.get("backend").asText());
        assertEquals(1, gpu.calls.get());
        JsonNode cpu = new GemmKernel().run(context(64, 1, null), Map.of());
        assertEquals(cpu.get("frobenius").asDouble(), big.get("frobenius").asDouble(), 1e-3, "same product");
    }

    @Test
    void shouldFallBackToTheCpuAndSayWhyWhenTheGpuFails() throws Exception {
        StandInGpu gpu = new StandInGpu(0, "GPU 0: out of device memory");
        JsonNode out = new GemmKernel().run(context(32, 1, gpu), Map.of());
        assertEquals("GPU 0: out of device memory", out.get("gpu_error").asText());
        assertFalse(out.get("backend").asText().equals("cublas"));
        assertTrue(out.get("frobenius").asDouble() > 0);
    }

    @Test
    void shouldFailRatherThanReuseCWhenTheGpuTimesOut() {
        StandInGpu gpu = new StandInGpu(0, "timeout: GPU 0 did not answer within PT10M");
        var e = org.junit.jupiter.api.Assertions.assertThrows(GpuAccess.Timeout.class,
                () -> new GemmKernel().run(context(32, 1, gpu), Map.of()));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    }

    @Test
    void shouldUseAsManyCpuThreadsAsTheTaskWasGranted() throws Exception {
        assertEquals(3, new GemmKernel().run(context(16, 2.5, null), Map.of()).get("threads").asInt());
        assertEquals(1, new GemmKernel().run(context(16, 0.25, null), Map.of()).get("threads").asInt());
    }
}
