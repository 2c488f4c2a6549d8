package dev.colony.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cuBLAS contract against {@code src/test/c/fakecuda.c}, a CPU stand-in for libcudart and
 * libcublas compiled here with the machine's C compiler: it checks everything Colony's binding
 * decides (function signatures, argument order, op flags and leading dimensions for every layout,
 * device versus host pointers, copy directions, registration, memory accounting, async
 * completion) without a GPU. Needs {@code cc}; skipped without one, except under CI, where it fails.
 */
class FakeCudaTest extends CuBlasContract {

    static CuBlas blas;
    static SymbolLookup cudart;

    @BeforeAll
    static void open() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "fake-cuda").toAbsolutePath());
        Path lib = dir.resolve("libfakecuda.so");
        Path source = Path.of("src", "test", "c", "fakecuda.c").toAbsolutePath();
        if (!compile(source, lib)) {
            return;
        }
        for (String name : new String[] {"libcudart.so.12", "libcublas.so.12"}) { // one library: one device table
            Files.deleteIfExists(dir.resolve(name));
            Files.createSymbolicLink(dir.resolve(name), lib.getFileName());
        }
        CudaLibraries libraries = CudaLibraries.find(java.util.Map.of("CUDA_HOME", "/nonexistent",
                "LD_LIBRARY_PATH", dir.toString()), new StringBuilder()).orElseThrow();
        assertEquals(dir.resolve("libcublas.so.12"), libraries.cublas());
        blas = CuBlas.open(libraries, 0);
        cudart = SymbolLookup.libraryLookup(libraries.cudart(), Arena.global());
    }

    private static boolean compile(Path source, Path lib) throws IOException, InterruptedException {
        Process cc;
        try {
            cc = new ProcessBuilder(List.of("cc", "-O2", "-shared", "-fPIC", "-o", lib.toString(), source.toString(),
                    "-lm")).redirectErrorStream(true).start();
        } catch (IOException e) {
            String why = "no C compiler (cc) to build the CUDA stand-in: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI must install gcc");
            }
            System.out.println("FakeCudaTest skipped: " + why);
            return false;
        }
        String out = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            throw new IllegalStateException("cc failed on " + source + ":\n" + out);
        }
        return true;
    }

    @AfterAll
    static void close() {
        if (blas != null) {
            blas.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void requireCompiler() {
        Assumptions.assumeTrue(blas != null, "no C compiler to build the CUDA stand-in");
    }

    @Override
    protected CuBlas cublas() {
        return blas;
    }

    @Test
    void shouldGiveBackDeviceMemoryAndRegistrationsOnClose() throws Throwable {
        MethodHandle registered = Linker.nativeLinker().downcallHandle(cudart.find("fake_registered").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MethodHandle deviceBytes = Linker.nativeLinker().downcallHandle(cudart.find("fake_device_bytes")
                .orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        long before = (long) deviceBytes.invokeExact();
        CudaLibraries libraries = new CudaLibraries(Path.of("target/fake-cuda/libcudart.so.12").toAbsolutePath(),
                Path.of("target/fake-cuda/libcublas.so.12").toAbsolutePath(), 12);
        try (Arena arena = Arena.ofShared()) {
            Matrix a = Matrix.allocate(arena, DType.F32, 600, 600); // 1.4 MB: registered for the call
            Matrix c = Matrix.allocate(arena, DType.F32, 600, 600);
            CuBlas second = CuBlas.open(libraries, 0);
            second.gemm(1, a, a, 0, c);
            second.gemmAsync(1, a, a, 0, c, false).toCompletableFuture().get(30, TimeUnit.SECONDS);
            AutoCloseable pin = second.pin(a.segment());
            assertEquals(1, (int) registered.invokeExact()); // only the pinned one stays registered
            pin.close();
            assertTrue((long) deviceBytes.invokeExact() > before, "the pool keeps its blocks between calls");
            second.close();
            assertEquals(0, (int) registered.invokeExact());
            assertEquals(before, (long) deviceBytes.invokeExact());
            var e = assertThrows(IllegalStateException.class, () -> second.gemm(1, a, a, 0, c));
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        }
    }
}
