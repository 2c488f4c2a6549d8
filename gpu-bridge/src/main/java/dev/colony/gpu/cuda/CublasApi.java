package dev.colony.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The cuBLAS v2 functions Colony uses, as FFM downcalls with the library's constants. Every
 * function takes device pointers and returns a {@code cublasStatus_t}; {@link #check} turns a
 * failure into a {@link CudaException} naming the call.
 */
final class CublasApi {

    static final int OP_N = 0;
    static final int OP_T = 1;
    static final int DEFAULT_MATH = 0;
    static final int TF32_TENSOR_OP_MATH = 3;
    static final int R_32F = 0;
    static final int R_64F = 1;
    static final int R_16F = 2;
    static final int R_16BF = 14;
    static final int COMPUTE_32F = 68;
    static final int COMPUTE_32F_FAST_TF32 = 77;
    static final int GEMM_DEFAULT = -1;

    final MethodHandle create;
    final MethodHandle destroy;
    final MethodHandle setStream;
    final MethodHandle setMathMode;
    final MethodHandle sgemm;
    final MethodHandle dgemm;
    final MethodHandle gemmEx;
    final MethodHandle sgemmStridedBatched;
    final MethodHandle sgemv;
    final MethodHandle dgemv;

    private CublasApi(SymbolLookup lib) {
        MemoryLayout p = ADDRESS;
        MemoryLayout i = JAVA_INT;
        create = h(lib, "cublasCreate_v2", p);
        destroy = h(lib, "cublasDestroy_v2", p);
        setStream = h(lib, "cublasSetStream_v2", p, p);
        setMathMode = h(lib, "cublasSetMathMode", p, i);
        // handle, transa, transb, m, n, k, alpha*, A, lda, B, ldb, beta*, C, ldc
        sgemm = h(lib, "cublasSgemm_v2", p, i, i, i, i, i, p, p, i, p, i, p, p, i);
        dgemm = h(lib, "cublasDgemm_v2", p, i, i, i, i, i, p, p, i, p, i, p, p, i);
        // handle, transa, transb, m, n, k, alpha*, A, Atype, lda, B, Btype, ldb, beta*, C, Ctype, ldc, compute, algo
        gemmEx = h(lib, "cublasGemmEx", p, i, i, i, i, i, p, p, i, i, p, i, i, p, p, i, i, i, i);
        // handle, transa, transb, m, n, k, alpha*, A, lda, strideA, B, ldb, strideB, beta*, C, ldc, strideC, batch
        sgemmStridedBatched = h(lib, "cublasSgemmStridedBatched", p, i, i, i, i, i, p, p, i, JAVA_LONG, p, i,
                JAVA_LONG, p, p, i, JAVA_LONG, i);
        // handle, trans, m, n, alpha*, A, lda, x, incx, beta*, y, incy
        sgemv = h(lib, "cublasSgemv_v2", p, i, i, i, p, p, i, p, i, p, p, i);
        dgemv = h(lib, "cublasDgemv_v2", p, i, i, i, p, p, i, p, i, p, p, i);
    }

    /** Loads libcublas from {@code library} (its libcublasLt is found by its RUNPATH or the loader). */
    static CublasApi load(Path library) {
        return new CublasApi(SymbolLookup.libraryLookup(library, Arena.global()));
    }

    static void check(int status, String what) {
        if (status != 0) {
            throw new CudaException(what + " failed: " + statusName(status) + " (cublasStatus " + status + ")", status);
        }
    }

    static String statusName(int status) {
        return switch (status) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "status " + status;
        };
    }

    /** A function returning {@code cublasStatus_t}; the {@code _v2} name first, then the plain one. */
    private static MethodHandle h(SymbolLookup lib, String name, MemoryLayout... args) {
        MemorySegment symbol = lib.find(name).or(() -> lib.find(name.replace("_v2", "")))
                .orElseThrow(() -> new IllegalStateException("symbol " + name + " not found in libcublas"));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }
}
