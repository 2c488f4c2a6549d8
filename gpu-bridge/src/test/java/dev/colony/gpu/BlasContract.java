package dev.colony.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Blas} backend must do: each backend's test extends this and supplies the
 * backend. Results are compared with a double-precision reference computed here.
 */
public abstract class BlasContract {

    /** The backend under test. */
    protected abstract Blas blas();

    @ParameterizedTest
    @CsvSource({"F32,1,1,1", "F32,70,65,130", "F64,33,129,64", "F64,128,1,7"})
    void shouldMatchDoublePrecisionReference(DType dtype, int m, int k, int n) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, dtype, m, k);
            Matrix b = Matrix.allocate(arena, dtype, k, n);
            Matrix c = Matrix.allocate(arena, dtype, m, n);
            a.fillRandom(new SplittableRandom(1));
            b.fillRandom(new SplittableRandom(2));
            c.fillRandom(new SplittableRandom(3));
            double[][] expected = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.get(i, p) * b.get(p, j);
                    }
                    expected[i][j] = 2.0 * s + 0.5 * c.get(i, j);
                }
            }
            blas().gemm(2.0, a, b, 0.5, c);
            double tolerance = (dtype == DType.F32 ? 1e-5 : 1e-12) * k * 4; // relative to |values| <= 1
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(expected[i][j], c.get(i, j), tolerance, "element " + i + "," + j);
                }
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
}
