package dev.colony.actors.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import dev.colony.gpu.BlasBackends;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.CudaLibraries;
import dev.colony.gpu.java.JavaBlas;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class GpuBridgeTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** Library present, no device (this machine has a CUDA toolkit and no GPU): every request gets the reason. */
    @Test
    void shouldAnswerWithTheReasonWhenTheGpuCannotBeOpened() {
        Optional<Path> cudart = CudaLibraries.findRuntime(System.getenv());
        Assumptions.assumeTrue(cudart.isPresent() && BlasBackends.detect().gpus().isEmpty(),
                "needs a libcudart and no GPU");
        var libraries = new CudaLibraries(cudart.get(), cudart.get().resolveSibling("libcublas.so.13"), 13);
        ActorRef<GpuBridge.Command> bridge = KIT.spawn(GpuBridge.create("n1", libraries, 0), "no-gpu",
                GpuBridge.DISPATCHER);
        var probe = KIT.<GpuBridge.Done>createTestProbe();
        try (Arena arena = Arena.ofShared()) {
            Matrix m = Matrix.allocate(arena, DType.F32, 4, 4);
            bridge.tell(new GpuBridge.Gemm(m, m, m, false, probe.getRef()));
            GpuBridge.Done done = probe.receiveMessage();
            assertNull(done.timing());
            assertTrue(done.error().startsWith("GPU 0 of node 'n1' is unusable: no CUDA device: cudaGetDeviceCount "
                    + "returned"), done.error());
        }
    }

    @Test
    @Tag("gpu")
    void shouldMultiplyOnTheGpuAndPublishTheTimings() {
        BlasBackends backends = BlasBackends.detect();
        Assumptions.assumeTrue(backends.gpus().isPresent(), () -> "GPU test skipped: " + backends.unavailable());
        var measured = KIT.<GpuBridge.Measured>createTestProbe();
        KIT.system().eventStream().tell(new EventStream.Subscribe<>(GpuBridge.Measured.class, measured.getRef()));
        ActorRef<GpuBridge.Command> bridge = KIT.spawn(GpuBridge.create("n1", backends.gpus().get().libraries(), 0),
                "gpu-0", GpuBridge.DISPATCHER);
        var probe = KIT.<GpuBridge.Done>createTestProbe();
        try (Arena arena = Arena.ofShared()) {
            Matrix a = Matrix.allocate(arena, DType.F32, 512, 256);
            Matrix b = Matrix.allocate(arena, DType.F32, 256, 384);
            Matrix c = Matrix.allocate(arena, DType.F32, 512, 384);
            Matrix expected = Matrix.allocate(arena, DType.F32, 512, 384);
            a.fillRandom(new SplittableRandom(1));
            b.fillRandom(new SplittableRandom(2));
            new JavaBlas().gemm(1, a, b, 0, expected);
            bridge.tell(new GpuBridge.Gemm(a, b, c, false, probe.getRef()));
            GpuBridge.Done done = probe.receiveMessage(java.time.Duration.ofSeconds(30));
            assertNull(done.error());
            assertEquals(c, done.c());
            assertTrue(done.timing().kernelMillis() > 0, done.timing().toString());
            assertEquals(expected.frobeniusNorm(), c.frobeniusNorm(), 1e-3 * expected.frobeniusNorm());
            GpuBridge.Measured m = measured.receiveMessage();
            assertEquals(512, m.m());
            assertEquals(384, m.n());
            assertEquals(256, m.k());
        }
    }
}
