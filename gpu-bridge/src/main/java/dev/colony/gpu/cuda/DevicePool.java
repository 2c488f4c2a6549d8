package dev.colony.gpu.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory reused across calls: blocks are rounded up to a power of two (at least 1 MiB) and
 * kept on a free list per size when released, so steady GEMM traffic calls {@code cudaMalloc}
 * once per size. Before allocating it checks the device's free memory and, if short, frees the
 * idle blocks; a request larger than the device can hold fails with a message naming both sizes
 * (Colony does not tile a GEMM that does not fit: split it into blocks with {@code Matrix.block}).
 *
 * <p>Thread safety: synchronized; the owner thread acquires, and the watcher thread of
 * {@link CuBlas} gives blocks back when asynchronous work ends.
 */
final class DevicePool {

    /** {@code cudaErrorMemoryAllocation}. */
    static final int OUT_OF_MEMORY = 2;
    private static final long MIN_BLOCK = 1L << 20;

    private final CudaRuntime cuda;
    private final int device;
    private final Map<Long, ArrayDeque<MemorySegment>> idle = new HashMap<>();

    DevicePool(CudaRuntime cuda, int device) {
        this.cuda = cuda;
        this.device = device;
    }

    /** A device block of at least {@code bytes}; give it back with {@link #release}. */
    synchronized MemorySegment acquire(long bytes) {
        long size = Math.max(MIN_BLOCK, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        ArrayDeque<MemorySegment> list = idle.get(size);
        if (list != null && !list.isEmpty()) {
            return list.pop();
        }
        long[] info = cuda.memInfo();
        if (size > info[0]) {
            trim();
            info = cuda.memInfo();
            if (size > info[0]) {
                throw new CudaException("GPU " + device + ": a request for " + bytes + " bytes of device memory ("
                        + size + " with the pool's rounding) exceeds the " + info[0] + " bytes free of " + info[1]
                        + "; split the matrices into blocks", OUT_OF_MEMORY);
            }
        }
        MemorySegment block = cuda.malloc(size);
        return block;
    }

    /** Returns a block from {@link #acquire} to the pool. */
    synchronized void release(MemorySegment block) {
        idle.computeIfAbsent(block.byteSize(), s -> new ArrayDeque<>()).push(block);
    }

    /** Frees every idle block. */
    synchronized void trim() {
        for (ArrayDeque<MemorySegment> list : idle.values()) {
            for (MemorySegment b : list) {
                cuda.free(b);
            }
            list.clear();
        }
    }
}
