package dev.colony.gpu.java;

import dev.colony.gpu.Blas;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java blocked GEMM over off-heap segments: always available, allocates nothing on the heap
 * per call. Stateless and thread-safe; each call runs on the caller's thread.
 */
public final class JavaBlas implements Blas {

    private static final int BLOCK = 64;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        Blas.checkGemm(a, b, c);
        scale(c, beta);
        if (a.dtype() == DType.F32) {
            gemmF32((float) alpha, a, b, c);
        } else {
            gemmF64(alpha, a, b, c);
        }
    }

    private static void scale(Matrix c, double beta) {
        if (beta == 1.0) {
            return;
        }
        MemorySegment s = c.segment();
        long n = c.elementCount();
        if (beta == 0) {
            s.asSlice(0, c.byteSize()).fill((byte) 0); // also clears NaNs, as BLAS does for beta = 0
        } else if (c.dtype() == DType.F32) {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(F32, i, (float) (s.getAtIndex(F32, i) * beta));
            }
        } else {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(F64, i, s.getAtIndex(F64, i) * beta);
            }
        }
    }

    // i-k-j order inside cache blocks: the inner loop streams a row of B and a row of C.
    private static void gemmF32(float alpha, Matrix a, Matrix b, Matrix c) {
        final MemorySegment sa = a.segment(), sb = b.segment(), sc = c.segment();
        final int m = a.rows(), k = a.cols(), n = b.cols();
        for (int i0 = 0; i0 < m; i0 += BLOCK) {
            int i1 = Math.min(i0 + BLOCK, m);
            for (int p0 = 0; p0 < k; p0 += BLOCK) {
                int p1 = Math.min(p0 + BLOCK, k);
                for (int j0 = 0; j0 < n; j0 += BLOCK) {
                    int j1 = Math.min(j0 + BLOCK, n);
                    for (int i = i0; i < i1; i++) {
                        long rowC = (long) i * n;
                        for (int p = p0; p < p1; p++) {
                            float aip = alpha * sa.getAtIndex(F32, (long) i * k + p);
                            long rowB = (long) p * n;
                            for (int j = j0; j < j1; j++) {
                                sc.setAtIndex(F32, rowC + j, sc.getAtIndex(F32, rowC + j) + aip * sb.getAtIndex(F32, rowB + j));
                            }
                        }
                    }
                }
            }
        }
    }

    private static void gemmF64(double alpha, Matrix a, Matrix b, Matrix c) {
        final MemorySegment sa = a.segment(), sb = b.segment(), sc = c.segment();
        final int m = a.rows(), k = a.cols(), n = b.cols();
        for (int i0 = 0; i0 < m; i0 += BLOCK) {
            int i1 = Math.min(i0 + BLOCK, m);
            for (int p0 = 0; p0 < k; p0 += BLOCK) {
                int p1 = Math.min(p0 + BLOCK, k);
                for (int j0 = 0; j0 < n; j0 += BLOCK) {
                    int j1 = Math.min(j0 + BLOCK, n);
                    for (int i = i0; i < i1; i++) {
                        long rowC = (long) i * n;
                        for (int p = p0; p < p1; p++) {
                            double aip = alpha * sa.getAtIndex(F64, (long) i * k + p);
                            long rowB = (long) p * n;
                            for (int j = j0; j < j1; j++) {
                                sc.setAtIndex(F64, rowC + j, sc.getAtIndex(F64, rowC + j) + aip * sb.getAtIndex(F64, rowB + j));
                            }
                        }
                    }
                }
            }
        }
    }
}
