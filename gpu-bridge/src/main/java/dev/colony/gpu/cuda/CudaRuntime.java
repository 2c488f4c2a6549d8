package dev.colony.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The part of the CUDA runtime API (libcudart) Colony uses, as FFM downcalls. Every call checks
 * its {@code cudaError_t} and throws {@link CudaException} with CUDA's own message. The runtime
 * API binds a device per thread ({@link #setDevice}); callers keep to one thread per device.
 */
public final class CudaRuntime {

    /** {@code cudaMemcpyHostToDevice}. */
    static final int HOST_TO_DEVICE = 1;
    /** {@code cudaMemcpyDeviceToHost}. */
    static final int DEVICE_TO_HOST = 2;
    /** {@code cudaErrorNoDevice}. */
    static final int NO_DEVICE = 100;
    /** {@code cudaErrorHostMemoryAlreadyRegistered}. */
    static final int ALREADY_REGISTERED = 712;

    private final Path library;
    private final MethodHandle getDeviceCount;
    private final MethodHandle setDevice;
    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle memGetInfo;
    private final MethodHandle memcpyAsync;
    private final MethodHandle hostRegister;
    private final MethodHandle hostUnregister;
    private final MethodHandle streamCreate;
    private final MethodHandle streamSynchronize;
    private final MethodHandle streamDestroy;
    private final MethodHandle eventCreate;
    private final MethodHandle eventRecord;
    private final MethodHandle eventSynchronize;
    private final MethodHandle eventElapsedTime;
    private final MethodHandle eventDestroy;
    private final MethodHandle runtimeGetVersion;
    private final MethodHandle getErrorString;

    private CudaRuntime(Path library, SymbolLookup lib) {
        this.library = library;
        getDeviceCount = handle(lib, "cudaGetDeviceCount", ADDRESS);
        setDevice = handle(lib, "cudaSetDevice", JAVA_INT);
        malloc = handle(lib, "cudaMalloc", ADDRESS, JAVA_LONG);
        free = handle(lib, "cudaFree", ADDRESS);
        memGetInfo = handle(lib, "cudaMemGetInfo", ADDRESS, ADDRESS);
        memcpyAsync = handle(lib, "cudaMemcpyAsync", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
        hostRegister = handle(lib, "cudaHostRegister", ADDRESS, JAVA_LONG, JAVA_INT);
        hostUnregister = handle(lib, "cudaHostUnregister", ADDRESS);
        streamCreate = handle(lib, "cudaStreamCreate", ADDRESS);
        streamSynchronize = handle(lib, "cudaStreamSynchronize", ADDRESS);
        streamDestroy = handle(lib, "cudaStreamDestroy", ADDRESS);
        eventCreate = handle(lib, "cudaEventCreate", ADDRESS);
        eventRecord = handle(lib, "cudaEventRecord", ADDRESS, ADDRESS);
        eventSynchronize = handle(lib, "cudaEventSynchronize", ADDRESS);
        eventElapsedTime = handle(lib, "cudaEventElapsedTime", ADDRESS, ADDRESS, ADDRESS);
        eventDestroy = handle(lib, "cudaEventDestroy", ADDRESS);
        runtimeGetVersion = handle(lib, "cudaRuntimeGetVersion", ADDRESS);
        getErrorString = Linker.nativeLinker().downcallHandle(lib.find("cudaGetErrorString").orElseThrow(),
                FunctionDescriptor.of(ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256,
                        java.lang.foreign.ValueLayout.JAVA_BYTE)), JAVA_INT));
    }

    /** Loads libcudart from {@code library}; the library's own dependencies come from the dynamic loader. */
    public static CudaRuntime load(Path library) {
        return new CudaRuntime(library, SymbolLookup.libraryLookup(library, Arena.global()));
    }

    /** Where the library was loaded from. */
    public Path library() {
        return library;
    }

    /** Number of CUDA devices; 0 when the driver reports none (no device, or no driver). */
    public int deviceCount(StringBuilder why) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(JAVA_INT);
            int err = (int) getDeviceCount.invokeExact(count);
            if (err != 0) {
                why.append("no CUDA device: cudaGetDeviceCount returned ").append(err).append(" (")
                        .append(errorString(err)).append(")");
                return 0;
            }
            return count.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw CudaException.wrap("cudaGetDeviceCount", t);
        }
    }

    /** CUDA runtime version as {@code major.minor}. */
    public String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) runtimeGetVersion.invokeExact(v), "cudaRuntimeGetVersion");
            int n = v.get(JAVA_INT, 0);
            return n / 1000 + "." + n % 1000 / 10;
        } catch (Throwable t) {
            throw CudaException.wrap("cudaRuntimeGetVersion", t);
        }
    }

    void setDevice(int device) {
        call(() -> (int) setDevice.invokeExact(device), "cudaSetDevice(" + device + ")");
    }

    /** {@code {free, total}} bytes of the current device. */
    long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG);
            MemorySegment t = a.allocate(JAVA_LONG);
            check((int) memGetInfo.invokeExact(f, t), "cudaMemGetInfo");
            return new long[] {f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw CudaException.wrap("cudaMemGetInfo", t);
        }
    }

    MemorySegment malloc(long bytes) {
        return out(p -> (int) malloc.invokeExact(p, bytes), "cudaMalloc(" + bytes + " bytes)").reinterpret(bytes);
    }

    void free(MemorySegment device) {
        call(() -> (int) free.invokeExact(device), "cudaFree");
    }

    void memcpyAsync(MemorySegment to, MemorySegment from, long bytes, int kind, MemorySegment stream) {
        call(() -> (int) memcpyAsync.invokeExact(to, from, bytes, kind, stream), "cudaMemcpyAsync(" + bytes + " bytes)");
    }

    /** Page-locks host memory so copies are DMA from it; answers false when it already is. */
    boolean hostRegister(MemorySegment host) {
        try {
            int err = (int) hostRegister.invokeExact(host, host.byteSize(), 0);
            if (err == ALREADY_REGISTERED) {
                return false;
            }
            check(err, "cudaHostRegister(" + host.byteSize() + " bytes)");
            return true;
        } catch (Throwable t) {
            throw CudaException.wrap("cudaHostRegister", t);
        }
    }

    void hostUnregister(MemorySegment host) {
        call(() -> (int) hostUnregister.invokeExact(host), "cudaHostUnregister");
    }

    MemorySegment streamCreate() {
        return out(p -> (int) streamCreate.invokeExact(p), "cudaStreamCreate");
    }

    void streamSynchronize(MemorySegment stream) {
        call(() -> (int) streamSynchronize.invokeExact(stream), "cudaStreamSynchronize");
    }

    void streamDestroy(MemorySegment stream) {
        call(() -> (int) streamDestroy.invokeExact(stream), "cudaStreamDestroy");
    }

    MemorySegment eventCreate() {
        return out(p -> (int) eventCreate.invokeExact(p), "cudaEventCreate");
    }

    void eventRecord(MemorySegment event, MemorySegment stream) {
        call(() -> (int) eventRecord.invokeExact(event, stream), "cudaEventRecord");
    }

    void eventSynchronize(MemorySegment event) {
        call(() -> (int) eventSynchronize.invokeExact(event), "cudaEventSynchronize");
    }

    /** Milliseconds between two recorded events. */
    float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ms = a.allocate(JAVA_FLOAT);
            check((int) eventElapsedTime.invokeExact(ms, start, end), "cudaEventElapsedTime");
            return ms.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw CudaException.wrap("cudaEventElapsedTime", t);
        }
    }

    void eventDestroy(MemorySegment event) {
        call(() -> (int) eventDestroy.invokeExact(event), "cudaEventDestroy");
    }

    String errorString(int err) {
        try {
            MemorySegment s = (MemorySegment) getErrorString.invokeExact(err);
            return s.equals(MemorySegment.NULL) ? "error " + err : s.getString(0);
        } catch (Throwable t) {
            return "error " + err;
        }
    }

    void check(int err, String what) {
        if (err != 0) {
            throw new CudaException(what + " failed: " + errorString(err) + " (cudaError " + err + ")", err);
        }
    }

    @FunctionalInterface
    interface Call {
        int run() throws Throwable;
    }

    @FunctionalInterface
    interface OutCall {
        int run(MemorySegment out) throws Throwable;
    }

    private void call(Call c, String what) {
        int err;
        try {
            err = c.run();
        } catch (Throwable t) {
            throw CudaException.wrap(what, t);
        }
        check(err, what);
    }

    /** Calls a function that writes one pointer through its first argument; answers that pointer. */
    private MemorySegment out(OutCall c, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int err;
            try {
                err = c.run(p);
            } catch (Throwable t) {
                throw CudaException.wrap(what, t);
            }
            check(err, what);
            return p.get(ADDRESS, 0);
        }
    }

    static MethodHandle handle(SymbolLookup lib, String name, java.lang.foreign.MemoryLayout... args) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name
                + " not found"));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }
}
