package dev.colony.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.gpu.Blas;
import dev.colony.gpu.BlasContract;
import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.java.JavaBlas;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link CuBlas} must do beyond the common contract: gemmEx, batches, async completion with
 * timings, device memory limits, thread ownership. Run on a real GPU ({@link CuBlasTest}) and on
 * the CPU stand-in for the CUDA libraries ({@link FakeCudaTest}).
 */
abstract class CuBlasContract extends BlasContract {

    /** The cuBLAS instance under test, opened on the test thread. */
    protected abstract CuBlas cublas();

    @Override
    protected Blas blas() {
        return cublas();
    }

    @Override
    protected long allowedHeapBytesPerCall() {
        return 4096; // events, lists and lambdas per call; the matrices themselves move by DMA
    }

    @Test
    void shouldRunTf32AndBf16ThroughGemmEx() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = random(arena, DType.F32, 256, 300, Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, DType.F32, 300, 200, Layout.COLUMN_MAJOR, 0, 2);
            Matrix exact = Matrix.allocate(arena, DType.F32, 256, 200);
            new JavaBlas().gemm(1, a, b, 0, exact);
            Matrix tf32 = Matrix.allocate(arena, DType.F32, 256, 200);
            cublas().gemm(1, a, b, 0, tf32, true);
            assertClose(exact, tf32, 300 * 1e-3); // TF32 keeps 10 fraction bits
            Matrix a16 = Matrix.allocate(arena, DType.BF16, 256, 300);
            Matrix b16 = Matrix.allocate(arena, DType.BF16, 300, 200, Layout.COLUMN_MAJOR);
            a16.copyFrom(a);
            b16.copyFrom(b);
            Matrix bf = Matrix.allocate(arena, DType.F32, 256, 200);
            cublas().gemm(1, a16, b16, 0, bf, false);
            assertClose(exact, bf, 300 * 8e-3); // bf16 keeps 7 fraction bits
            System.out.println("last bf16 gemm: " + cublas().lastTiming());
        }
    }

    @Test
    void shouldRunAStridedBatch() {
        try (Arena arena = Arena.ofConfined()) {
            int batch = 5;
            Matrix a = Matrix.wrap(arena.allocate(batch * 16 * 24 * 4L), DType.F32, 16, 24);
            Matrix b = Matrix.wrap(arena.allocate(batch * 24 * 8 * 4L), DType.F32, 24, 8);
            Matrix c = Matrix.wrap(arena.allocate(batch * 16 * 8 * 4L), DType.F32, 16, 8);
            for (int i = 0; i < batch; i++) {
                slice(a, i).fillRandom(new java.util.SplittableRandom(i));
                slice(b, i).fillRandom(new java.util.SplittableRandom(100 + i));
            }
            cublas().gemmStridedBatched(1, a, b, 0, c, batch);
            for (int i = 0; i < batch; i++) {
                Matrix expected = Matrix.allocate(arena, DType.F32, 16, 8);
                new JavaBlas().gemm(1, slice(a, i), slice(b, i), 0, expected);
                assertClose(expected, slice(c, i), 1e-4);
            }
        }
    }

    @Test
    void shouldCompleteAsynchronouslyWithTimings() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Matrix a = random(arena, DType.F32, 512, 512, Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, DType.F32, 512, 512, Layout.ROW_MAJOR, 0, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 512, 512);
            CompletableFuture<GpuTiming> done = cublas().gemmAsync(1, a, b, 0, c, false).toCompletableFuture();
            GpuTiming t = done.get(30, TimeUnit.SECONDS);
            assertTrue(t.kernelMillis() > 0 && t.h2dMillis() > 0 && t.d2hMillis() > 0, t.toString());
            Matrix expected = Matrix.allocate(arena, DType.F32, 512, 512);
            new JavaBlas().gemm(1, a, b, 0, expected);
            assertClose(expected, c, 512 * 1e-5 * 4);
        }
    }

    @Test
    void shouldRefuseARequestLargerThanDeviceMemory(@TempDir Path dir) throws Exception {
        long free = cublas().memory()[0];
        int n = (int) Math.sqrt(free / 4.0) + 1024; // one n×n f32 beyond free device memory
        Path file = dir.resolve("sparse");
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) n * n * 4); // sparse: costs no host memory until touched
        }
        try (Arena arena = Arena.ofConfined(); var ch = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Matrix big = Matrix.wrap(ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) n * n * 4, arena), DType.F32,
                    n, n);
            var e = assertThrows(CudaException.class, () -> cublas().gemm(1, big, big, 0, big));
            assertTrue(e.getMessage().contains("exceeds the") && e.getMessage().contains("bytes free"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseCallsFromAnotherThread() throws Exception {
        var e = CompletableFuture.supplyAsync(() -> assertThrows(IllegalStateException.class, cublas()::memory)).get();
        assertTrue(e.getMessage().contains("belongs to thread"), e.getMessage());
    }

    private static Matrix slice(Matrix m, int i) {
        return Matrix.wrap(m.segment().asSlice(i * m.byteSize(), m.byteSize()), m.dtype(), m.rows(), m.cols());
    }

    private static void assertClose(Matrix expected, Matrix actual, double tolerance) {
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), tolerance, "element " + i + "," + j);
            }
        }
    }
}
