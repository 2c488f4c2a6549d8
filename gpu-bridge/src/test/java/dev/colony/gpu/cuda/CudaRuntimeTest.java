package dev.colony.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The libcudart bindings against a real libcudart where the machine has one, GPU or not: every
 * symbol resolves, and with no device (or no driver) the count is 0 with CUDA's reason, not a crash.
 */
class CudaRuntimeTest {

    @Test
    void shouldBindEveryFunctionAndReportNoDeviceCleanly() {
        Optional<Path> cudart = CudaLibraries.findRuntime(System.getenv());
        if (cudart.isEmpty()) {
            System.out.println("libcudart tests skipped: no libcudart.so.13/.12 on this machine");
            Assumptions.abort("no libcudart on this machine");
        }
        CudaRuntime cuda = CudaRuntime.load(cudart.get()); // resolves every function Colony calls
        System.out.println("libcudart " + cuda.version() + " at " + cudart.get());
        StringBuilder why = new StringBuilder();
        int count = cuda.deviceCount(why);
        if (count == 0) {
            assertTrue(why.toString().startsWith("no CUDA device: cudaGetDeviceCount returned "), why.toString());
            System.out.println("as expected without a GPU: " + why);
        } else {
            System.out.println(count + " CUDA device(s)");
        }
    }
}
