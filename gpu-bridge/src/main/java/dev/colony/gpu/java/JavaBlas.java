package dev.colony.gpu.java;

import dev.colony.gpu.Blas;
import dev.colony.gpu.ColumnSplit;
import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java BLAS over off-heap segments, always available. f32 GEMM runs the packed,
 * register-blocked Vector API kernel ({@link VectorGemm}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (Colony's launcher and test runs do), split over
 * {@link #threads()} threads by columns of C (operands in a confined arena keep it on the caller's
 * thread); otherwise, and for f64, a cache-blocked scalar loop.
 *
 * <p>Stateless apart from its thread count and safe to share. Each thread keeps its packing
 * buffers off-heap, so a call allocates nothing on the Java heap on one thread and a few small
 * task objects on several.
 */
public final class JavaBlas implements Blas {

    /** Whether the Vector API kernel is in use (the incubator module is present). */
    public static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;

    private final int threads;

    /** A backend using every available processor. */
    public JavaBlas() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A backend using at most {@code threads} threads per call (the caller's included). */
    public JavaBlas(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Java BLAS threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return "java";
    }

    /** Threads per call, the caller's included. */
    public int threads() {
        return threads;
    }

    /** What runs the multiply: the vector kernel and its register width, or the scalar loop. */
    public static String kernel() {
        return VECTORIZED ? VectorKernelInfo.describe() : "scalar (start the JVM with --add-modules "
                + "jdk.incubator.vector for the vector kernel)";
    }

    @Override
    public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        Blas.checkGemm(a, b, c);
        Blas.requireComputeDtype("Java BLAS", a);
        if (c.layout() == Layout.COLUMN_MAJOR) { // C = A·B  <=>  C^T = B^T·A^T, with C^T row-major
            gemm(alpha, b.transpose(), a.transpose(), beta, c.transpose());
            return;
        }
        scale(c, beta);
        if (a.dtype() == DType.F32 && VECTORIZED) {
            vectorGemm((float) alpha, a, b, c);
        } else {
            ScalarGemm.multiply(alpha, a, b, c);
        }
    }

    private void vectorGemm(float alpha, Matrix a, Matrix b, Matrix c) {
        int nr = VectorKernelInfo.nr();
        int parts = ColumnSplit.parts(threads, 2L * a.rows() * a.cols() * c.cols(), nr, a, b, c);
        if (parts == 1) {
            VectorGemm.multiply(alpha, a, b, c, 0, c.cols());
        } else {
            ColumnSplit.run(parts, c.cols(), nr, (from, to) -> VectorGemm.multiply(alpha, a, b, c, from, to));
        }
    }

    @Override
    public void gemv(double alpha, Matrix a, Matrix x, double beta, Matrix y) {
        Blas.checkGemv(a, x, y);
        Blas.requireComputeDtype("Java BLAS", a);
        MemorySegment sa = a.segment(), sx = x.segment(), sy = y.segment();
        long incX = Blas.stride(x), incY = Blas.stride(y);
        boolean f32 = a.dtype() == DType.F32;
        for (int i = 0; i < a.rows(); i++) {
            double sum = 0;
            for (int p = 0; p < a.cols(); p++) {
                long ai = a.index(i, p);
                sum += f32 ? (double) sa.getAtIndex(F32, ai) * sx.getAtIndex(F32, p * incX)
                        : sa.getAtIndex(F64, ai) * sx.getAtIndex(F64, p * incX);
            }
            long yi = i * incY;
            if (f32) {
                float old = beta == 0 ? 0f : sy.getAtIndex(F32, yi);
                sy.setAtIndex(F32, yi, (float) (alpha * sum + beta * old));
            } else {
                double old = beta == 0 ? 0 : sy.getAtIndex(F64, yi);
                sy.setAtIndex(F64, yi, alpha * sum + beta * old);
            }
        }
    }

    /** C = beta * C on a row-major C; beta = 0 clears, NaNs included, as BLAS does. */
    private static void scale(Matrix c, double beta) {
        if (beta == 1.0) {
            return;
        }
        MemorySegment s = c.segment();
        long rowBytes = c.cols() * c.dtype().sizeBytes();
        for (int i = 0; i < c.rows(); i++) {
            long first = (long) i * c.ld();
            if (beta == 0) {
                s.asSlice(first * c.dtype().sizeBytes(), rowBytes).fill((byte) 0);
            } else if (c.dtype() == DType.F32) {
                for (long j = first; j < first + c.cols(); j++) {
                    s.setAtIndex(F32, j, (float) (s.getAtIndex(F32, j) * beta));
                }
            } else {
                for (long j = first; j < first + c.cols(); j++) {
                    s.setAtIndex(F64, j, s.getAtIndex(F64, j) * beta);
                }
            }
        }
    }

    /** Reads the vector kernel's constants; a separate class so JavaBlas loads without the module. */
    private static final class VectorKernelInfo {
        static int nr() {
            return VectorGemm.NR;
        }

        static String describe() {
            return "vector (" + VectorGemm.V * 32 + "-bit, " + VectorGemm.MR + "x" + VectorGemm.NR + " f32 register block)";
        }
    }
}
