package dev.colony.gpu.cuda;

import dev.colony.gpu.BlasBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The cuBLAS contract on GPU 0. Skipped, with the reason printed, where there is no GPU (CI has
 * none); {@code gpu-bridge/scripts/gpu-check.sh} runs it on a GPU machine.
 */
@Tag("gpu")
class CuBlasTest extends CuBlasContract {

    static CuBlas blas;
    static String skipped;

    @BeforeAll
    static void open() {
        BlasBackends backends = BlasBackends.detect();
        if (backends.gpus().isEmpty()) {
            skipped = "GPU tests skipped: " + backends.unavailable().stream().filter(l -> l.startsWith("cuBLAS"))
                    .findFirst().orElse("no GPU");
            System.out.println(skipped);
            System.err.println(skipped);
            return;
        }
        blas = CuBlas.open(backends.gpus().get().libraries(), 0);
        System.out.println("cuBLAS under test: " + backends.gpus().get());
    }

    @BeforeEach
    void requireGpu() {
        Assumptions.assumeTrue(blas != null, skipped);
    }

    @AfterAll
    static void close() {
        if (blas != null) {
            blas.close();
        }
    }

    @Override
    protected CuBlas cublas() {
        return blas;
    }
}
