package dev.colony.gpu.cuda;

/**
 * Where a GPU call spent its time, measured with CUDA events on its stream.
 *
 * @param h2dMillis    copying the operands to the device
 * @param kernelMillis the cuBLAS kernel
 * @param d2hMillis    copying the result back
 */
public record GpuTiming(double h2dMillis, double kernelMillis, double d2hMillis) {

    /** The whole call. */
    public double totalMillis() {
        return h2dMillis + kernelMillis + d2hMillis;
    }
}
