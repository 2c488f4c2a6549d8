package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;

/**
 * A kernel's tensor inputs and output, off the Java heap. A parent's tensor output arrives as a
 * {@link Matrix} over a read-only mapping of the file (same process) or over the bytes the data
 * plane fetched from the producing node; a kernel writes its own tensor output straight into a
 * memory-mapped file of the node's output store:
 *
 * <pre>{@code
 * Matrix a = context.tensors().input("a");            // null when input 'a' is not a tensor
 * Matrix c = context.tensors().newOutput(DType.F32, m, n);
 * blas.gemm(1.0, a, b, 0.0, c);
 * return context.tensors().output(c);                  // the task's output is now C itself
 * }</pre>
 *
 * <p>Thread safety: use from the kernel's thread; the matrices may be handed to other threads
 * (BLAS threads, the GPU bridge) while the kernel runs. None of them may be kept after it returns.
 */
public interface Tensors {

    /** The off-heap matrix of tensor input {@code name}, or null when there is no such tensor input. */
    Matrix input(String name);

    /** A new zeroed row-major matrix that can become the task's output (at most one per attempt). */
    Matrix newOutput(DType dtype, int rows, int cols);

    /**
     * Makes {@code matrix}, which {@link #newOutput} returned, the task's output: return what this
     * returns from {@link Kernel#run}. Where outputs cannot be stored as tensors (no output store),
     * the matrix is encoded as JSON ({@link MatrixJson}) instead.
     */
    JsonNode output(Matrix matrix);

    /** Tensors of a kernel run outside a node (tests, tools): no tensor inputs; outputs become JSON. */
    static Tensors none() {
        return new Tensors() {
            @Override
            public Matrix input(String name) {
                return null;
            }

            @Override
            public Matrix newOutput(DType dtype, int rows, int cols) {
                return Matrix.allocate(Arena.ofAuto(), dtype, rows, cols);
            }

            @Override
            public JsonNode output(Matrix matrix) {
                return MatrixJson.encode(matrix);
            }
        };
    }
}
