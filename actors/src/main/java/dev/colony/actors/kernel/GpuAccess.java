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
     */
    GpuTiming gemm(Matrix a, Matrix b, Matrix c) throws InterruptedException;
}
