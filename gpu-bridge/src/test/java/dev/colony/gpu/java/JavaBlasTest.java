package dev.colony.gpu.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.gpu.Blas;
import dev.colony.gpu.BlasContract;
import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class JavaBlasTest extends BlasContract {

    private final JavaBlas blas = new JavaBlas();

    @Override
    protected Blas blas() {
        return blas;
    }

    @Test
    void shouldUseTheVectorKernelInTheseTestRuns() {
        // the build's test JVMs pass --add-modules jdk.incubator.vector, as bin/colony does
        assertTrue(JavaBlas.VECTORIZED, JavaBlas.kernel());
        assertTrue(JavaBlas.kernel().startsWith("vector"), JavaBlas.kernel());
    }

    @Test
    void shouldGiveTheSameBitsOnOneThreadAndOnSeveral() {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = random(arena, DType.F32, 300, 260, Layout.ROW_MAJOR, 0, 1);
            Matrix b = random(arena, DType.F32, 260, 333, Layout.COLUMN_MAJOR, 0, 2);
            Matrix one = Matrix.allocate(arena, DType.F32, 300, 333);
            Matrix four = Matrix.allocate(arena, DType.F32, 300, 333);
            new JavaBlas(1).gemm(1, a, b, 0, one);
            new JavaBlas(4).gemm(1, a, b, 0, four);
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < 333; j++) {
                    assertEquals(one.get(i, j), four.get(i, j), 0.0, "element " + i + "," + j);
                }
            }
        }
    }

    @Test
    void shouldRejectAThreadCountBelowOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> new JavaBlas(0));
        assertTrue(e.getMessage().contains("at least 1, got 0"), e.getMessage());
    }
}
