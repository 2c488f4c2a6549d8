package dev.colony.gpu;

/**
 * The BLAS operations Colony's kernels need, implemented by every backend (cuBLAS, OpenBLAS,
 * pure Java). Operands may be row- or column-major with any leading dimension, each on its own;
 * a transposed operand is {@link Matrix#transpose()}, a view, not a flag.
 *
 * <p>Implementations document their own thread safety; the CPU backends are safe to share.
 */
public interface Blas {

    /** Short backend name for logs and reports, e.g. {@code java}. */
    String name();

    /**
     * General matrix multiply {@code C = alpha * A·B + beta * C}, every operand of one dtype.
     * With {@code beta = 0} the old contents of C (NaNs included) are ignored.
     *
     * @throws IllegalArgumentException when shapes or dtypes do not agree (naming both shapes),
     *                                  or the backend does not compute on the dtype
     */
    void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c);

    /**
     * Matrix-vector multiply {@code y = alpha * A·x + beta * y}; {@code x} and {@code y} are
     * vectors, i.e. matrices with one row or one column.
     *
     * @throws IllegalArgumentException when shapes or dtypes do not agree
     */
    void gemv(double alpha, Matrix a, Matrix x, double beta, Matrix y);

    /** Checks shapes and dtypes for {@link #gemm}; backends call it before touching memory. */
    static void checkGemm(Matrix a, Matrix b, Matrix c) {
        checkGemmShapes(a, b, c);
        checkSameDtype("gemm", a, b, c);
    }

    /** Checks only the shapes for {@link #gemm} (for backends that mix input and output dtypes). */
    static void checkGemmShapes(Matrix a, Matrix b, Matrix c) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("gemm shape mismatch: A is " + a.shape() + ", B is " + b.shape()
                    + " (A's columns must equal B's rows)");
        }
        if (c.rows() != a.rows() || c.cols() != b.cols()) {
            throw new IllegalArgumentException("gemm shape mismatch: C is " + c.shape() + " but A·B is "
                    + a.rows() + "x" + b.cols());
        }
    }

    /** Checks shapes and dtypes for {@link #gemv}. */
    static void checkGemv(Matrix a, Matrix x, Matrix y) {
        if (!isVector(x) || x.elementCount() != a.cols()) {
            throw new IllegalArgumentException("gemv shape mismatch: A is " + a.shape() + ", x is " + x.shape()
                    + " (x must be a vector of " + a.cols() + " elements)");
        }
        if (!isVector(y) || y.elementCount() != a.rows()) {
            throw new IllegalArgumentException("gemv shape mismatch: A is " + a.shape() + ", y is " + y.shape()
                    + " (y must be a vector of " + a.rows() + " elements)");
        }
        checkSameDtype("gemv", a, x, y);
    }

    /** Refuses dtypes a CPU backend does not compute on (the 2-byte GPU storage types). */
    static void requireComputeDtype(String backend, Matrix a) {
        if (a.dtype().storageOnly()) {
            throw new IllegalArgumentException(backend + " computes on f32 and f64 only, got " + a.dtype().label()
                    + " (bf16/f16 are GPU inputs for cuBLAS gemmEx; convert with Matrix.copyFrom)");
        }
    }

    /** Refuses a matrix backed by a Java array: native libraries need off-heap memory. */
    static void requireOffHeap(String backend, String operand, Matrix m) {
        if (!m.segment().isNative()) {
            throw new IllegalArgumentException(backend + " needs off-heap matrices: " + operand + " (" + m.shape()
                    + ") is backed by a Java array");
        }
    }

    /** The element distance between consecutive elements of a vector (a 1-row or 1-column matrix). */
    static int stride(Matrix v) {
        boolean alongInner = v.layout() == Layout.ROW_MAJOR ? v.rows() == 1 : v.cols() == 1;
        return alongInner ? 1 : v.ld();
    }

    private static boolean isVector(Matrix v) {
        return v.rows() == 1 || v.cols() == 1;
    }

    private static void checkSameDtype(String op, Matrix a, Matrix b, Matrix c) {
        if (a.dtype() != b.dtype() || a.dtype() != c.dtype()) {
            throw new IllegalArgumentException(op + " dtype mismatch: " + a.shape() + ", " + b.shape() + ", "
                    + c.shape() + " (all must agree)");
        }
    }
}
