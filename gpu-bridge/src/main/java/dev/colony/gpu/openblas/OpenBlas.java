package dev.colony.gpu.openblas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.colony.gpu.Blas;
import dev.colony.gpu.ColumnSplit;
import dev.colony.gpu.DType;
import dev.colony.gpu.Layout;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS through the FFM API: {@code cblas_sgemm}, {@code dgemm}, {@code sgemv} and
 * {@code dgemv} straight on the matrices' off-heap segments, no copies. {@link #load()} takes the system's libopenblas when
 * there is one, else the build shipped in the {@code org.bytedeco:openblas} jar for linux-x86_64
 * ({@link BundledOpenBlas}), so a fresh machine needs no root install.
 *
 * <p>Thread safety: safe to share; OpenBLAS runs concurrent calls, each on its own threads
 * ({@link #threads()}, {@link #setThreads(int)}).
 */
public final class OpenBlas implements Blas {

    private static final int ROW_MAJOR = 101;
    private static final int COL_MAJOR = 102;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final String[] SYSTEM_NAMES = {"libopenblas.so.0", "libopenblas.so"};

    private final String origin;
    private final SymbolLookup lib;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle sgemv;
    private final MethodHandle dgemv;
    private final MethodHandle setThreads;
    private final MethodHandle getThreads;

    private OpenBlas(String origin, SymbolLookup lib) {
        this.origin = origin;
        this.lib = lib;
        Linker linker = Linker.nativeLinker();
        sgemm = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT,
                ADDRESS, JAVA_INT));
        dgemm = linker.downcallHandle(symbol(lib, "cblas_dgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE,
                ADDRESS, JAVA_INT));
        sgemv = linker.downcallHandle(symbol(lib, "cblas_sgemv"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
        dgemv = linker.downcallHandle(symbol(lib, "cblas_dgemv"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT));
        setThreads = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT));
        getThreads = linker.downcallHandle(symbol(lib, "openblas_get_num_threads"), FunctionDescriptor.of(JAVA_INT));
    }

    /**
     * Loads OpenBLAS: the system's library first, else the bundled one.
     *
     * @throws IllegalStateException saying in one line what was tried and why each failed
     */
    public static OpenBlas load() {
        List<String> tried = new ArrayList<>();
        for (String name : SYSTEM_NAMES) {
            try {
                return new OpenBlas("system " + name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                tried.add(name + ": " + e.getMessage());
            }
        }
        try {
            Path lib = BundledOpenBlas.extract();
            return new OpenBlas("bundled " + lib, SymbolLookup.libraryLookup(lib, Arena.global()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            tried.add("bundled: " + e.getMessage());
        }
        throw new IllegalStateException("OpenBLAS: not usable (" + String.join("; ", tried) + ")");
    }

    @Override
    public String name() {
        return "openblas";
    }

    /** Which library this is: {@code system libopenblas.so.0} or {@code bundled /path}. */
    public String origin() {
        return origin;
    }

    /** The address of another symbol of the loaded library (for baselines and extra CBLAS calls). */
    public Optional<MemorySegment> find(String symbol) {
        return lib.find(symbol);
    }

    /** Threads OpenBLAS uses per call. */
    public int threads() {
        try {
            return (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /** Sets the threads OpenBLAS uses per call (process-wide), at least 1. */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS threads must be at least 1, got " + threads);
        }
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /**
     * A view of this library whose GEMMs use exactly {@code threads} threads, the caller's
     * included: C's columns are split into that many blocks, each multiplied by OpenBLAS on one
     * thread. This is how a task uses the cores it was granted and no more; it sets OpenBLAS's
     * own threading to 1, process-wide (OpenBLAS's pthreads build has no per-thread setting).
     */
    public Blas withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS threads must be at least 1, got " + threads);
        }
        if (threads() != 1) {
            setThreads(1);
        }
        OpenBlas one = this;
        return new Blas() {
            @Override
            public String name() {
                return "openblas";
            }

            @Override
            public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
                Blas.checkGemm(a, b, c);
                int parts = ColumnSplit.parts(threads, 2L * a.rows() * a.cols() * c.cols(), 16, a, b, c);
                if (parts == 1) {
                    one.gemm(alpha, a, b, beta, c);
                } else {
                    ColumnSplit.run(parts, c.cols(), 16, (from, to) -> one.gemm(alpha, a, b.block(0, from, b.rows(),
                            to - from), beta, c.block(0, from, c.rows(), to - from)));
                }
            }

            @Override
            public void gemv(double alpha, Matrix a, Matrix x, double beta, Matrix y) {
                one.gemv(alpha, a, x, beta, y);
            }

            @Override
            public String toString() {
                return "openblas on " + threads + " thread(s)";
            }
        };
    }

    /**
     * {@inheritDoc} The call takes C's layout as the CBLAS order; an operand stored in the other
     * order is passed as its transpose with the transpose flag, so no operand is copied.
     */
    @Override
    public void gemm(double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        Blas.checkGemm(a, b, c);
        Blas.requireComputeDtype("OpenBLAS", a);
        Blas.requireOffHeap("OpenBLAS", "A", a);
        Blas.requireOffHeap("OpenBLAS", "B", b);
        Blas.requireOffHeap("OpenBLAS", "C", c);
        int order = c.layout() == Layout.ROW_MAJOR ? ROW_MAJOR : COL_MAJOR;
        int transA = a.layout() == c.layout() ? NO_TRANS : TRANS;
        int transB = b.layout() == c.layout() ? NO_TRANS : TRANS;
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        try {
            if (a.dtype() == DType.F32) {
                sgemm.invokeExact(order, transA, transB, m, n, k, (float) alpha, a.segment(), a.ld(), b.segment(),
                        b.ld(), (float) beta, c.segment(), c.ld());
            } else {
                dgemm.invokeExact(order, transA, transB, m, n, k, alpha, a.segment(), a.ld(), b.segment(), b.ld(),
                        beta, c.segment(), c.ld());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas gemm failed", t);
        }
    }

    @Override
    public void gemv(double alpha, Matrix a, Matrix x, double beta, Matrix y) {
        Blas.checkGemv(a, x, y);
        Blas.requireComputeDtype("OpenBLAS", a);
        Blas.requireOffHeap("OpenBLAS", "A", a);
        Blas.requireOffHeap("OpenBLAS", "x", x);
        Blas.requireOffHeap("OpenBLAS", "y", y);
        int order = a.layout() == Layout.ROW_MAJOR ? ROW_MAJOR : COL_MAJOR;
        try {
            if (a.dtype() == DType.F32) {
                sgemv.invokeExact(order, NO_TRANS, a.rows(), a.cols(), (float) alpha, a.segment(), a.ld(),
                        x.segment(), Blas.stride(x), (float) beta, y.segment(), Blas.stride(y));
            } else {
                dgemv.invokeExact(order, NO_TRANS, a.rows(), a.cols(), alpha, a.segment(), a.ld(), x.segment(),
                        Blas.stride(x), beta, y.segment(), Blas.stride(y));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas gemv failed", t);
        }
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " not found"));
    }
}
