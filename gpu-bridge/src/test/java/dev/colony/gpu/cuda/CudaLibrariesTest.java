package dev.colony.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.gpu.BlasBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding CUDA's libraries runs everywhere: the folders are faked, nothing is loaded. */
class CudaLibrariesTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindCudaHomeAndPreferSoname13() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("cuda/lib64"));
        for (String name : new String[] {"libcublas.so.12", "libcudart.so.12", "libcublas.so.13", "libcudart.so.13"}) {
            Files.writeString(lib.resolve(name), "not really");
        }
        var found = CudaLibraries.find(Map.of("CUDA_HOME", dir.resolve("cuda").toString()), new StringBuilder());
        assertEquals(13, found.orElseThrow().major());
        assertEquals(lib.resolve("libcublas.so.13"), found.get().cublas());
    }

    @Test
    void shouldFindThePythonWheelFoldersOfAVirtualEnv() throws IOException {
        Path site = dir.resolve("venv/lib/python3.12/site-packages/nvidia");
        Files.createDirectories(site.resolve("cublas/lib"));
        Files.createDirectories(site.resolve("cuda_runtime/lib"));
        Files.writeString(site.resolve("cublas/lib/libcublas.so.12"), "x");
        Files.writeString(site.resolve("cuda_runtime/lib/libcudart.so.12"), "x");
        var found = CudaLibraries.find(Map.of("VIRTUAL_ENV", dir.resolve("venv").toString()), new StringBuilder());
        assertEquals(site.resolve("cuda_runtime/lib/libcudart.so.12"), found.orElseThrow().cudart());
    }

    @Test
    void shouldSayWhereItLookedWhenNothingIsThere() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        StringBuilder why = new StringBuilder();
        var found = CudaLibraries.find(Map.of("LD_LIBRARY_PATH", empty.toString(), "CUDA_HOME", "/nonexistent"), why);
        if (found.isPresent()) {
            System.out.println("this machine has CUDA libraries in a standard folder: " + found.get());
            return; // a GPU machine: the standard folders hold real ones
        }
        assertTrue(why.toString().startsWith("cuBLAS: libcublas.so.13/.12 with a matching libcudart not found in"),
                why.toString());
        assertTrue(why.toString().contains(empty.toString()), why.toString());
    }

    @Test
    void shouldReportALibraryThatDoesNotLoadInsteadOfCrashing() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("broken/lib64"));
        Files.writeString(lib.resolve("libcublas.so.12"), "not an ELF file");
        Files.writeString(lib.resolve("libcudart.so.12"), "not an ELF file");
        BlasBackends b = BlasBackends.detect(Map.of("CUDA_HOME", dir.resolve("broken").toString()));
        assertTrue(b.gpus().isEmpty());
        String line = b.describe().stream().filter(l -> l.startsWith("cuBLAS: ")).findFirst().orElseThrow();
        assertTrue(line.contains("libcudart.so.12 could not be used"), line);
        assertEquals("openblas", b.best().name());
    }
}
