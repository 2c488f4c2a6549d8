package dev.colony.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link Blas} backend must do: each backend's test extends this and supplies the
 * backend. Results are compared with a double-precision reference computed here, within
 * {@code 4·k·ε} of the operands' magnitude (values are uniform in [-1, 1), ε = 1e-5 for f32,
 * 1e-12 for f64).
 */
public abstract class BlasContract {

    /** The backend under test. */
    protected abstract Blas blas();

    /** Heap bytes one 64x64 gemm may allocate on the calling thread. */
    protected long allowedHeapBytesPerCall() {
        return 16;
    }

    @ParameterizedTest
    @CsvSource({"F32,1,1,1", "F32,70,65,130", "F32,200,300,257", "F32,97,513,33", "F64,33,129,64", "F64,128,1,7"})
    void shouldMatchDoublePrecisionReference(DType dtype, int m, int k, int n) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = random(arena, dtype, m, k, Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, dtype, k, n, Layout.ROW_MAJOR, 0, 2);
            Matrix c = random(arena, dtype, m, n, Layout.ROW_MAJOR, 0, 3);
            checkGemm(a, b, c, 2.0, 0.5);
        }
    }

    /** Every combination of layouts, each operand a block of a larger matrix (leading dimension > its width). */
    @ParameterizedTest
    @CsvSource({"ROW_MAJOR,ROW_MAJOR,ROW_MAJOR", "COLUMN_MAJOR,ROW_MAJOR,ROW_MAJOR", "ROW_MAJOR,COLUMN_MAJOR,ROW_MAJOR",
            "COLUMN_MAJOR,COLUMN_MAJOR,ROW_MAJOR", "ROW_MAJOR,ROW_MAJOR,COLUMN_MAJOR",
            "COLUMN_MAJOR,ROW_MAJOR,COLUMN_MAJOR", "ROW_MAJOR,COLUMN_MAJOR,COLUMN_MAJOR",
            "COLUMN_MAJOR,COLUMN_MAJOR,COLUMN_MAJOR"})
    void shouldHonourLayoutsAndLeadingDimensions(Layout la, Layout lb, Layout lc) {
        try (Arena arena = Arena.ofConfined()) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Matrix a = random(arena, dtype, 37, 45, la, 5, 1);
                Matrix b = random(arena, dtype, 45, 50, lb, 3, 2);
                Matrix c = random(arena, dtype, 37, 50, lc, 7, 3);
                checkGemm(a, b, c, -1.5, 2.0);
            }
        }
    }

    @Test
    void shouldMultiplyATransposeView() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = random(arena, DType.F32, 40, 30, Layout.ROW_MAJOR, 0, 1); // used as A^T: 30x40
            Matrix b = random(arena, DType.F32, 40, 20, Layout.ROW_MAJOR, 0, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 30, 20);
            checkGemm(a.transpose(), b, c, 1.0, 0.0);
        }
    }

    @Test
    void shouldIgnoreNaNsInCWhenBetaIsZero() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = random(arena, DType.F32, 8, 8, Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, DType.F32, 8, 8, Layout.ROW_MAJOR, 0, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 8, 8);
            c.set(3, 4, Double.NaN);
            blas().gemm(1, a, b, 0, c);
            assertTrue(Double.isFinite(c.get(3, 4)), "C(3,4) = " + c.get(3, 4));
        }
    }

    @ParameterizedTest
    @CsvSource({"F32,ROW_MAJOR", "F32,COLUMN_MAJOR", "F64,ROW_MAJOR", "F64,COLUMN_MAJOR"})
    void shouldMultiplyMatrixByVector(DType dtype, Layout layout) {
        try (Arena arena = Arena.ofConfined()) {
            int m = 77;
            int k = 130;
            Matrix a = random(arena, dtype, m, k, layout, 3, 1);
            Matrix xs = random(arena, dtype, k, 3, Layout.ROW_MAJOR, 0, 2); // x = column 1: stride 3
            Matrix x = xs.block(0, 1, k, 1);
            Matrix y = random(arena, dtype, 1, m, Layout.ROW_MAJOR, 0, 3); // y a row vector: stride 1
            double[] expected = new double[m];
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.get(i, p) * x.get(p, 0);
                }
                expected[i] = 0.5 * s - 2 * y.get(0, i);
            }
            blas().gemv(0.5, a, x, -2, y);
            for (int i = 0; i < m; i++) {
                assertEquals(expected[i], y.get(0, i), tolerance(dtype, k), "y[" + i + "]");
            }
        }
    }

    @Test
    void shouldNameBothShapesOnMismatch() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, DType.F32, 4, 3);
            Matrix b = Matrix.allocate(arena, DType.F32, 5, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 4, 2);
            var e = assertThrows(IllegalArgumentException.class, () -> blas().gemm(1, a, b, 0, c));
            assertTrue(e.getMessage().contains("4x3 f32") && e.getMessage().contains("5x2 f32"), e.getMessage());
            var v = assertThrows(IllegalArgumentException.class, () -> blas().gemv(1, a, b, 0, c));
            assertTrue(v.getMessage().contains("x is 5x2 f32"), v.getMessage());
        }
    }

    @Test
    void shouldRejectMixedDtypes() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, DType.F32, 2, 2);
            Matrix b = Matrix.allocate(arena, DType.F64, 2, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 2, 2);
            var e = assertThrows(IllegalArgumentException.class, () -> blas().gemm(1, a, b, 0, c));
            assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        }
    }

    @Test
    void shouldRejectStorageOnlyDtypesOnTheCpu() {
        if (blas().name().equals("cublas")) {
            return; // cuBLAS computes on bf16 inputs through gemmEx
        }
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, DType.BF16, 2, 2);
            var e = assertThrows(IllegalArgumentException.class, () -> blas().gemm(1, a, a, 0, a));
            assertTrue(e.getMessage().contains("bf16"), e.getMessage());
        }
    }

    @Test
    void shouldRejectSegmentTooSmallForShape() {
        try (Arena arena = Arena.ofConfined()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Matrix.wrap(arena.allocate(8), DType.F64, 2, 2));
            assertTrue(e.getMessage().contains("too small"), e.getMessage());
        }
    }

    @Test
    void shouldRejectClosedArena() {
        Arena arena = Arena.ofConfined();
        var segment = arena.allocate(64);
        arena.close();
        var e = assertThrows(IllegalStateException.class, () -> Matrix.wrap(segment, DType.F32, 2, 2));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void shouldFailCleanlyOnAnArenaClosedAfterTheMatrixWasMade() {
        Arena arena = Arena.ofShared();
        Matrix a = Matrix.allocate(arena, DType.F64, 3, 3);
        try (Arena live = Arena.ofConfined()) {
            Matrix b = Matrix.allocate(live, DType.F64, 3, 3);
            Matrix c = Matrix.allocate(live, DType.F64, 3, 3);
            arena.close();
            // a clear error, not a JVM crash
            assertThrows(IllegalStateException.class, () -> blas().gemm(1, a, b, 0, c));
        }
    }

    /** Zero-copy, measured: a GEMM on preallocated off-heap matrices allocates (almost) nothing per call. */
    @Test
    void shouldNotAllocateOnTheJavaHeapPerCall() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Matrix a = Matrix.allocate(arena, dtype, 64, 64);
                Matrix b = Matrix.allocate(arena, dtype, 64, 64);
                Matrix c = Matrix.allocate(arena, dtype, 64, 64);
                // Steady state: the JIT compiles the kernels in the background (slowly on a 2-core
                // machine), and until C2 has, vector code boxes; so measure rounds until one is clean.
                int calls = 1_000;
                long perCall = Long.MAX_VALUE;
                int round = 0;
                while (round < 30 && perCall > allowedHeapBytesPerCall()) {
                    round++;
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < calls; i++) {
                        blas().gemm(1, a, b, 0, c);
                    }
                    perCall = Math.min(perCall, (threads.getCurrentThreadAllocatedBytes() - before) / calls);
                }
                System.out.println(blas().name() + " gemm " + dtype + ": " + perCall + " heap bytes per call (round "
                        + round + " of 1,000 calls)");
                assertTrue(perCall <= allowedHeapBytesPerCall(), dtype + ": " + perCall + " bytes allocated per call");
            }
        }
    }

    private void checkGemm(Matrix a, Matrix b, Matrix c, double alpha, double beta) {
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.get(i, p) * b.get(p, j);
                }
                expected[i][j] = alpha * s + beta * c.get(i, j);
            }
        }
        blas().gemm(alpha, a, b, beta, c);
        double tolerance = tolerance(a.dtype(), k) * Math.max(1, Math.abs(alpha));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], c.get(i, j), tolerance, "element " + i + "," + j + " of " + c.shape());
            }
        }
    }

    private static double tolerance(DType dtype, int k) {
        return (dtype == DType.F32 ? 1e-5 : 1e-12) * k * 4;
    }

    /** A random matrix; with {@code pad > 0} a block of a larger one, so its leading dimension exceeds its width. */
    protected static Matrix random(Arena arena, DType dtype, int rows, int cols, Layout layout, int pad, long seed) {
        Matrix whole = Matrix.allocate(arena, dtype, rows + pad, cols + pad, layout);
        whole.fillRandom(new SplittableRandom(seed));
        return pad == 0 ? whole : whole.block(pad / 2, pad / 2, rows, cols);
    }
}
