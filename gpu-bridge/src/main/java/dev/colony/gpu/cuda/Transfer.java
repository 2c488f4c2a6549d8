package dev.colony.gpu.cuda;

import dev.colony.gpu.Matrix;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The device blocks, page-locked host ranges and CUDA events of one {@link CuBlas} call, enqueued
 * on its stream: operands go in, the kernel runs between marks 1 and 2, C comes back. Given back
 * ({@link #release}) once the GPU is done: by the owner thread after a synchronous call, by the
 * watcher thread after an asynchronous one (the pool is thread-safe).
 */
final class Transfer {
    /** Host operands at least this large are page-locked for the call when not pinned already. */
    static final long REGISTER_AT_LEAST = 1L << 20;

    private final CudaRuntime cuda;
    private final MemorySegment stream;
    private final DevicePool pool;
    private final int batch;
    private final List<MemorySegment> blocks = new ArrayList<>();
    private final List<MemorySegment> registered = new ArrayList<>();
    private final MemorySegment[] marks;

    Transfer(CudaRuntime cuda, MemorySegment stream, DevicePool pool, int batch) {
        this.cuda = cuda;
        this.stream = stream;
        this.pool = pool;
        this.batch = batch;
        this.marks = new MemorySegment[] {cuda.eventCreate(), cuda.eventCreate(), cuda.eventCreate(),
                cuda.eventCreate()};
        cuda.eventRecord(marks[0], stream);
    }

    int batch() {
        return batch;
    }

    MemorySegment in(Matrix m) {
        MemorySegment d = out(m);
        cuda.memcpyAsync(d, host(m), bytes(m), CudaRuntime.HOST_TO_DEVICE, stream);
        return d;
    }

    MemorySegment out(Matrix m) {
        MemorySegment d = pool.acquire(bytes(m));
        blocks.add(d);
        return d;
    }

    void kernelStart() {
        cuda.eventRecord(marks[1], stream);
    }

    void back(Matrix m, MemorySegment d) {
        cuda.eventRecord(marks[2], stream);
        cuda.memcpyAsync(host(m), d, bytes(m), CudaRuntime.DEVICE_TO_HOST, stream);
        cuda.eventRecord(marks[3], stream);
    }

    /** The event recorded once C is back on the host: the call is over when it completes. */
    MemorySegment end() {
        return marks[3];
    }

    GpuTiming timing() {
        return new GpuTiming(cuda.elapsedMillis(marks[0], marks[1]), cuda.elapsedMillis(marks[1], marks[2]),
                cuda.elapsedMillis(marks[2], marks[3]));
    }

    void release() {
        blocks.forEach(pool::release);
        registered.forEach(cuda::hostUnregister);
        for (MemorySegment e : marks) {
            cuda.eventDestroy(e);
        }
    }

    private long bytes(Matrix m) {
        return m.byteSize() * batch;
    }

    private MemorySegment host(Matrix m) {
        MemorySegment h = m.segment().asSlice(0, bytes(m));
        if (h.byteSize() >= REGISTER_AT_LEAST && cuda.hostRegister(h)) {
            registered.add(MemorySegment.ofAddress(h.address())); // unregistered by address: valid whatever its arena
        }
        return h;
    }
}
