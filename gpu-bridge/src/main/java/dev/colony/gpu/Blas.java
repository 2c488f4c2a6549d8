package dev.colony.gpu;

/**
 * The BLAS operations Colony's kernels need, implemented by every backend (pure Java now;
 * OpenBLAS and cuBLAS behind the same interface).
 *
 * <p>Implementations document their own thread safety; {@link dev.colony.gpu.java.JavaBlas} is
 * stateless and safe to share.
 */
public interface Blas {

    /** Short backend name for logs and reports, e.g. {@code java}. */
    String name();

    /**
     * General matrix multiply {@code C = alpha * A·B + beta * C} on row-major matrices of one
     * dtype.
     *
     * @throws IllegalArgumentException when shapes or dtypes do not agree (naming both shapes)
     */
    void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c);

    /** Checks shapes and dtypes for {@link #gemm}; backends call it before touching memory. */
    static void checkGemm(Matrix a, Matrix b, Matrix c) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("gemm shape mismatch: A is " + a.shape() + ", B is " + b.shape()
                    + " (A's columns must equal B's rows)");
        }
        if (c.rows() != a.rows() || c.cols() != b.cols()) {
            throw new IllegalArgumentException("gemm shape mismatch: C is " + c.shape() + " but A·B is "
                    + a.rows() + "x" + b.cols());
        }
        if (a.dtype() != b.dtype() || a.dtype() != c.dtype()) {
            throw new IllegalArgumentException("gemm dtype mismatch: A " + a.dtype() + ", B " + b.dtype()
                    + ", C " + c.dtype() + " (all must agree)");
        }
    }
}
