package dev.colony.actors.kernel;

import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.GpuTiming;

/**
 * A node's GPU as a kernel sees it: work goes to the GPU's bridge actor, which owns the device,
 * and the kernel's thread waits for the answer. Matrices must live in a shared (or global/auto)
 * arena: the bridge's thread touches them.
 */
public interface GpuAccess {

    /** The CUDA device number. */
    int device();

    /** Smallest GEMM, in floating-point operations (2·m·n·k), worth sending to this GPU. */
    double offloadMinFlops();

    /**
     * {@code C = A·B} on the GPU; blocks until it is done.
     *
     * @return where the time went
     * @throws IllegalStateException when the GPU could not do it (the message says why); the
     *                               caller may fall back to a CPU backend
     * @throws Timeout               when the GPU did not answer in time: its copy into C may still
     *                               be coming, so C must not be reused and its memory must stay valid
     */
    GpuTiming gemm(Matrix a, Matrix b, Matrix c) throws InterruptedException;

    /** The GPU did not answer in time; its work may still be in flight. */
    final class Timeout extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** A timeout with its message. */
        public Timeout(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
