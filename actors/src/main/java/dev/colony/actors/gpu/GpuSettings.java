package dev.colony.actors.gpu;

import java.time.Duration;

/**
 * How a node uses its GPUs ({@code colony.gpu.*}).
 *
 * @param offloadMinFlops smallest GEMM (2·m·n·k floating-point operations) sent to a GPU; smaller
 *                        ones stay on the CPU, where copying costs more than it saves. The
 *                        learner's policy may move it (its "GPU offload threshold" gene).
 * @param callTimeout     longest a kernel waits for a GPU answer before it gives up on the GPU
 */
public record GpuSettings(double offloadMinFlops, Duration callTimeout) {

    /** Checks ranges, naming the key. */
    public GpuSettings {
        if (!(offloadMinFlops >= 0)) {
            throw new IllegalArgumentException("colony.gpu.offload-min-flops = " + offloadMinFlops + " must be >= 0");
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("colony.gpu.call-timeout = " + callTimeout + " must be positive");
        }
    }

    /** Offload from 1 GFLOP (about a 800×800×800 f32 GEMM); wait up to 10 minutes. */
    public static final GpuSettings DEFAULT = new GpuSettings(1e9, Duration.ofMinutes(10));
}
