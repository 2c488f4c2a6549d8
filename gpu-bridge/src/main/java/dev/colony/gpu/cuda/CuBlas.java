package dev.colony.gpu.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.colony.gpu.Blas;
import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * cuBLAS on one GPU through the FFM API, on host matrices in off-heap memory: each call copies the
 * operands' bytes to pooled device memory (DMA straight from the caller's segment: host memory is
 * page-locked with {@code cudaHostRegister}, for the call or for good with {@link #pin}), runs the
 * kernel on this instance's stream, and copies C back. Operands keep their layout and leading
 * dimension on the device, so nothing is repacked; row-major problems run as their column-major
 * transposes.
 *
 * <p>Thread confinement: the CUDA runtime binds a device per thread, so an instance belongs to the
 * thread that {@link #open opened} it (Colony's GpuBridge actor runs on a pinned thread for this);
 * other threads get an {@link IllegalStateException}. {@link #gemmAsync} returns at once and
 * completes on a watcher thread when the GPU is done.
 */
public final class CuBlas implements Blas, AutoCloseable {

    private final CudaRuntime cuda;
    private final CublasApi api;
    private final int device;
    private final Thread owner = Thread.currentThread();
    private final Arena scalars = Arena.ofConfined();
    private final MemorySegment alpha = scalars.allocate(JAVA_DOUBLE);
    private final MemorySegment beta = scalars.allocate(JAVA_DOUBLE);
    private final MemorySegment handle;
    private final MemorySegment stream;
    private final DevicePool pool;
    private final ExecutorService watcher;
    private GpuTiming last = new GpuTiming(0, 0, 0);
    private boolean closed;

    private CuBlas(CudaRuntime cuda, CublasApi api, int device) {
        this.cuda = cuda;
        this.api = api;
        this.device = device;
        cuda.setDevice(device);
        stream = cuda.streamCreate();
        MemorySegment h = scalars.allocate(java.lang.foreign.ValueLayout.ADDRESS);
        try {
            CublasApi.check((int) api.create.invokeExact(h), "cublasCreate");
            handle = h.get(java.lang.foreign.ValueLayout.ADDRESS, 0);
            CublasApi.check((int) api.setStream.invokeExact(handle, stream), "cublasSetStream");
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw CudaException.wrap("cublasCreate", t);
        }
        pool = new DevicePool(cuda, device);
        watcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("colony-gpu-" + device
                + "-watcher").factory());
        watcher.execute(() -> cuda.setDevice(device));
    }

    /**
     * Opens GPU {@code device} for the calling thread, with libraries from {@link CudaLibraries}.
     *
     * @throws CudaException when there is no such device or the libraries fail, with their message
     */
    public static CuBlas open(CudaLibraries libraries, int device) {
        CudaRuntime cuda = CudaRuntime.load(libraries.cudart());
        StringBuilder why = new StringBuilder();
        int count = cuda.deviceCount(why);
        if (device < 0 || device >= count) {
            throw new CudaException(count == 0 ? why.toString() : "GPU " + device + " does not exist: "
                    + count + " CUDA device(s)", CudaRuntime.NO_DEVICE);
        }
        return new CuBlas(cuda, CublasApi.load(libraries.cublas()), device);
    }

    @Override
    public String name() {
        return "cublas";
    }

    /** The GPU this instance drives. */
    public int device() {
        return device;
    }

    /** {@code {free, total}} device bytes. */
    public long[] memory() {
        requireOwner();
        return cuda.memInfo();
    }

    /** Timings of the last synchronous call. */
    public GpuTiming lastTiming() {
        return last;
    }

    /**
     * Page-locks a host segment until the returned handle is closed, so every call on matrices in
     * it copies by DMA without registering again. Close it before the segment's arena.
     */
    public AutoCloseable pin(MemorySegment host) {
        requireOwner();
        boolean mine = cuda.hostRegister(host);
        return () -> {
            if (mine) {
                cuda.hostUnregister(host);
            }
        };
    }

    @Override
    public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        gemm(alpha, a, b, beta, c, false);
    }

    /**
     * GEMM with a choice of tensor-core math: f32 operands run {@code cublasSgemm}, or with
     * {@code tf32} {@code cublasGemmEx} in TF32 with f32 accumulation; bf16 or f16 A and B (C f32)
     * run {@code cublasGemmEx} with f32 accumulation; f64 runs {@code cublasDgemm}.
     */
    public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c, boolean tf32) {
        checkGemm(a, b, c, tf32, 1);
        run(t -> enqueueGemm(t, alpha, a, b, beta, c, tf32)).sync();
    }

    /** {@link #gemm(double, Matrix, Matrix, double, Matrix, boolean)} that returns at once. */
    public CompletionStage<GpuTiming> gemmAsync(double alpha, Matrix a, Matrix b, double beta, Matrix c, boolean tf32) {
        checkGemm(a, b, c, tf32, 1);
        return run(t -> enqueueGemm(t, alpha, a, b, beta, c, tf32)).async();
    }

    /**
     * {@code batch} independent f32 GEMMs ({@code cublasSgemmStridedBatched}): each operand's
     * segment holds {@code batch} matrices of its shape back to back, {@code byteSize()} apart.
     */
    public void gemmStridedBatched(double alpha, Matrix a, Matrix b, double beta, Matrix c, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        checkGemm(a, b, c, false, batch);
        run(batch, t -> enqueueGemm(t, alpha, a, b, beta, c, false)).sync();
    }

    @Override
    public void gemv(double alpha, Matrix a, Matrix x, double beta, Matrix y) {
        Blas.checkGemv(a, x, y);
        Blas.requireComputeDtype("cuBLAS gemv", a);
        Blas.requireOffHeap("cuBLAS", "A", a);
        Blas.requireOffHeap("cuBLAS", "x", x);
        Blas.requireOffHeap("cuBLAS", "y", y);
        run(t -> {
            MemorySegment da = t.in(a);
            MemorySegment dx = t.in(x);
            MemorySegment dy = beta != 0 || !y.packed() ? t.in(y) : t.out(y);
            t.kernelStart();
            boolean rowMajor = a.layout() == Layout.ROW_MAJOR; // stored as its column-major transpose
            int op = rowMajor ? CublasApi.OP_T : CublasApi.OP_N;
            int m = rowMajor ? a.cols() : a.rows();
            int n = rowMajor ? a.rows() : a.cols();
            scalars(a.dtype(), alpha, beta);
            MethodHandle f = a.dtype() == DType.F32 ? api.sgemv : api.dgemv;
            call(() -> (int) f.invokeExact(handle, op, m, n, this.alpha, da, a.ld(), dx, Blas.stride(x), this.beta,
                    dy, Blas.stride(y)), "cublasGemv");
            t.back(y, dy);
        }).sync();
    }

    private void enqueueGemm(Transfer t, double alpha, Matrix a, Matrix b, double beta, Matrix c, boolean tf32) {
        int batch = t.batch();
        if (c.layout() == Layout.ROW_MAJOR) { // C = A·B  <=>  C^T = B^T·A^T, and C^T is column-major
            Matrix bt = b.transpose();
            b = a.transpose();
            a = bt;
            c = c.transpose();
        }
        MemorySegment da = t.in(a);
        MemorySegment db = t.in(b);
        MemorySegment dc = beta != 0 || !c.packed() ? t.in(c) : t.out(c);
        t.kernelStart();
        int opA = a.layout() == Layout.COLUMN_MAJOR ? CublasApi.OP_N : CublasApi.OP_T;
        int opB = b.layout() == Layout.COLUMN_MAJOR ? CublasApi.OP_N : CublasApi.OP_T;
        int m = c.rows();
        int n = c.cols();
        int k = a.cols();
        int lda = a.ld(), ldb = b.ld(), ldc = c.ld();
        MemorySegment al = this.alpha, be = this.beta;
        DType in = a.dtype();
        scalars(c.dtype(), alpha, beta);
        if (batch > 1) {
            long sa = a.byteSize() / 4, sb = b.byteSize() / 4, sc = c.byteSize() / 4;
            call(() -> (int) api.sgemmStridedBatched.invokeExact(handle, opA, opB, m, n, k, al, da, lda, sa, db, ldb,
                    sb, be, dc, ldc, sc, batch), "cublasSgemmStridedBatched");
        } else if (in == DType.F64) {
            call(() -> (int) api.dgemm.invokeExact(handle, opA, opB, m, n, k, al, da, lda, db, ldb, be, dc, ldc),
                    "cublasDgemm");
        } else if (in == DType.F32 && !tf32) {
            call(() -> (int) api.sgemm.invokeExact(handle, opA, opB, m, n, k, al, da, lda, db, ldb, be, dc, ldc),
                    "cublasSgemm");
        } else {
            int type = in == DType.F32 ? CublasApi.R_32F : in == DType.BF16 ? CublasApi.R_16BF : CublasApi.R_16F;
            int compute = tf32 ? CublasApi.COMPUTE_32F_FAST_TF32 : CublasApi.COMPUTE_32F;
            call(() -> (int) api.gemmEx.invokeExact(handle, opA, opB, m, n, k, al, da, type, lda, db, type, ldb, be,
                    dc, CublasApi.R_32F, ldc, compute, CublasApi.GEMM_DEFAULT), "cublasGemmEx");
        }
        t.back(c, dc);
    }

    private static void checkGemm(Matrix a, Matrix b, Matrix c, boolean tf32, int batch) {
        if (a.dtype().storageOnly()) { // gemmEx: bf16/f16 A and B, f32 C
            Blas.checkGemmShapes(a, b, c);
            if (b.dtype() != a.dtype() || c.dtype() != DType.F32) {
                throw new IllegalArgumentException("cuBLAS gemmEx takes A and B of one 2-byte dtype and an f32 C, got "
                        + a.shape() + ", " + b.shape() + ", " + c.shape());
            }
        } else {
            Blas.checkGemm(a, b, c);
        }
        if (tf32 && a.dtype() != DType.F32) {
            throw new IllegalArgumentException("TF32 math takes f32 operands, got " + a.shape());
        }
        if (batch > 1 && (a.dtype() != DType.F32 || !a.packed() || !b.packed() || !c.packed())) {
            throw new IllegalArgumentException("strided batched GEMM takes packed f32 operands, got " + a.shape() + ", "
                    + b.shape() + ", " + c.shape());
        }
        Blas.requireOffHeap("cuBLAS", "A", a);
        Blas.requireOffHeap("cuBLAS", "B", b);
        Blas.requireOffHeap("cuBLAS", "C", c);
        for (Matrix m : new Matrix[] {a, b, c}) {
            if (batch > 1 && m.segment().byteSize() < m.byteSize() * batch) {
                throw new IllegalArgumentException("segment of " + m.segment().byteSize() + " bytes is too small for "
                        + batch + " matrices of " + m.shape());
            }
        }
    }

    private void scalars(DType dtype, double a, double b) {
        if (dtype == DType.F64) {
            alpha.set(JAVA_DOUBLE, 0, a);
            beta.set(JAVA_DOUBLE, 0, b);
        } else {
            alpha.set(JAVA_FLOAT, 0, (float) a);
            beta.set(JAVA_FLOAT, 0, (float) b);
        }
    }

    private Enqueued run(java.util.function.Consumer<Transfer> work) {
        return run(1, work);
    }

    /**
     * Enqueues work on the owner thread; {@code sync()} waits for it, {@code async()} does not. If
     * enqueueing fails half-way, waits for what was enqueued and gives its memory back.
     */
    private Enqueued run(int batch, java.util.function.Consumer<Transfer> work) {
        requireOwner();
        Transfer t = new Transfer(cuda, stream, pool, batch);
        try {
            work.accept(t);
        } catch (RuntimeException e) {
            try {
                cuda.streamSynchronize(stream);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            t.release();
            throw e;
        }
        return new Enqueued(t);
    }

    private final class Enqueued {
        private final Transfer t;

        Enqueued(Transfer t) {
            this.t = t;
        }

        void sync() {
            try {
                cuda.streamSynchronize(stream);
                last = t.timing();
            } finally {
                t.release();
            }
        }

        CompletionStage<GpuTiming> async() {
            CompletableFuture<GpuTiming> done = new CompletableFuture<>();
            watcher.execute(() -> {
                GpuTiming timing = null;
                RuntimeException failure = null;
                try {
                    cuda.eventSynchronize(t.end()); // the event recorded after C came back
                    timing = t.timing();
                } catch (RuntimeException e) {
                    failure = e;
                }
                try {
                    t.release(); // before the caller hears: it may free or pin its memory at once
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
                if (failure == null) {
                    done.complete(timing);
                } else {
                    done.completeExceptionally(failure);
                }
            });
            return done;
        }
    }

    private void call(CudaRuntime.Call c, String what) {
        int status;
        try {
            status = c.run();
        } catch (Throwable t) {
            throw CudaException.wrap(what, t);
        }
        CublasApi.check(status, what);
    }

    private void requireOwner() {
        if (closed) {
            throw new IllegalStateException("cuBLAS on GPU " + device + " is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("cuBLAS on GPU " + device + " belongs to thread " + owner.getName()
                    + ", called from " + Thread.currentThread().getName());
        }
    }

    /** Waits for outstanding work, then frees device memory, the stream, the handle. */
    @Override
    public void close() {
        requireOwner();
        cuda.streamSynchronize(stream);
        watcher.shutdown();
        try {
            watcher.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.trim();
        try {
            CublasApi.check((int) api.destroy.invokeExact(handle), "cublasDestroy");
        } catch (Throwable t) {
            throw CudaException.wrap("cublasDestroy", t);
        } finally {
            cuda.streamDestroy(stream);
            scalars.close();
            closed = true;
        }
    }
}
