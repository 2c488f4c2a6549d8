package dev.colony.gpu.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.gpu.Blas;
import dev.colony.gpu.BlasContract;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against OpenBLAS. It must load here: the bundled linux-x86_64 build is a
 * dependency, so a failure to load is a failure, not a skip.
 */
class OpenBlasTest extends BlasContract {

    static OpenBlas blas;

    @BeforeAll
    static void load() {
        blas = OpenBlas.load();
        System.out.println("OpenBLAS under test: " + blas.origin() + ", " + blas.threads() + " threads");
    }

    @Override
    protected Blas blas() {
        return blas;
    }

    @Test
    void shouldRejectMatricesOnTheJavaHeap() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.wrap(MemorySegment.ofArray(new float[4]), DType.F32, 2, 2);
            Matrix b = Matrix.allocate(arena, DType.F32, 2, 2);
            Matrix c = Matrix.allocate(arena, DType.F32, 2, 2);
            var e = assertThrows(IllegalArgumentException.class, () -> blas.gemm(1, a, b, 0, c));
            assertTrue(e.getMessage().contains("A (2x2 f32)"), e.getMessage());
        }
    }

    @Test
    void shouldUseExactlyTheThreadsItIsGiven() {
        int before = blas.threads();
        try (Arena arena = Arena.ofShared()) {
            Blas three = blas.withThreads(3);
            assertEquals(1, blas.threads()); // OpenBLAS's own threading off: the split is the parallelism
            Matrix a = random(arena, DType.F32, 300, 200, dev.colony.gpu.Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, DType.F32, 200, 250, dev.colony.gpu.Layout.COLUMN_MAJOR, 0, 2);
            Matrix split = Matrix.allocate(arena, DType.F32, 300, 250);
            Matrix whole = Matrix.allocate(arena, DType.F32, 300, 250);
            three.gemm(1, a, b, 0, split);
            blas.gemm(1, a, b, 0, whole);
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < 250; j++) {
                    assertEquals(whole.get(i, j), split.get(i, j), 1e-4, "element " + i + "," + j);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> blas.withThreads(0));
        } finally {
            blas.setThreads(before);
        }
    }

    @Test
    void shouldSetItsThreadCount() {
        int before = blas.threads();
        try {
            blas.setThreads(1);
            assertEquals(1, blas.threads());
            assertThrows(IllegalArgumentException.class, () -> blas.setThreads(0));
        } finally {
            blas.setThreads(before);
        }
    }
}
