package dev.colony.gpu.java;

import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar GEMM of {@link JavaBlas}: i-k-j order inside 64-element cache blocks, so the inner
 * loop streams a row of B and a row of C. For f64, and for f32 when the Vector API is absent.
 * C must be row-major and already scaled by beta; A and B may have any layout.
 */
final class ScalarGemm {

    private static final int BLOCK = 64;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;

    private ScalarGemm() {
    }

    static void multiply(double alpha, Matrix a, Matrix b, Matrix c) {
        final MemorySegment sa = a.segment(), sb = b.segment(), sc = c.segment();
        final int m = a.rows(), k = a.cols(), n = b.cols();
        final long aRow = a.layout() == Layout.ROW_MAJOR ? a.ld() : 1, aCol = a.layout() == Layout.ROW_MAJOR ? 1 : a.ld();
        final long bRow = b.layout() == Layout.ROW_MAJOR ? b.ld() : 1, bCol = b.layout() == Layout.ROW_MAJOR ? 1 : b.ld();
        final boolean f32 = a.dtype() == DType.F32;
        for (int i0 = 0; i0 < m; i0 += BLOCK) {
            int i1 = Math.min(i0 + BLOCK, m);
            for (int p0 = 0; p0 < k; p0 += BLOCK) {
                int p1 = Math.min(p0 + BLOCK, k);
                for (int j0 = 0; j0 < n; j0 += BLOCK) {
                    int j1 = Math.min(j0 + BLOCK, n);
                    for (int i = i0; i < i1; i++) {
                        long rowC = (long) i * c.ld();
                        for (int p = p0; p < p1; p++) {
                            long ai = i * aRow + p * aCol;
                            long rowB = p * bRow;
                            if (f32) {
                                float aip = (float) alpha * sa.getAtIndex(F32, ai);
                                for (int j = j0; j < j1; j++) {
                                    long ci = rowC + j;
                                    sc.setAtIndex(F32, ci, sc.getAtIndex(F32, ci) + aip * sb.getAtIndex(F32, rowB + j * bCol));
                                }
                            } else {
                                double aip = alpha * sa.getAtIndex(F64, ai);
                                for (int j = j0; j < j1; j++) {
                                    long ci = rowC + j;
                                    sc.setAtIndex(F64, ci, sc.getAtIndex(F64, ci) + aip * sb.getAtIndex(F64, rowB + j * bCol));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
