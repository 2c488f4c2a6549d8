package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.gpu.BlasBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A node's GPUs, from configuration to the gemm kernel. */
class GpuNodeTest {

    private static final String MEMORY = "colony.persistence.journal = memory\n";

    private static boolean hasGpu() {
        return BlasBackends.findGpus(System.getenv(), new ArrayList<>()).isPresent();
    }

    @Test
    void shouldRefuseToStartANodeThatDeclaresAGpuThisMachineLacks() {
        Assumptions.assumeFalse(hasGpu(), "this machine has a GPU");
        var e = assertThrows(IllegalStateException.class, () -> Colony.start(ColonySettings.fromConfig(
                ConfigFactory.parseString(MEMORY + "colony.node { name = g1, gpus = 1 }"))));
        assertTrue(e.getMessage().contains("node 'g1' declares gpus = 1 but no GPU is usable here: cuBLAS"),
                e.getMessage());
    }

    @Test
    void shouldCountNoGpusForAutoOnAMachineWithoutOne() {
        Assumptions.assumeFalse(hasGpu(), "this machine has a GPU");
        ColonySettings s = ColonySettings.fromConfig(ConfigFactory.parseString(MEMORY + "colony.node.gpus = auto"));
        assertEquals(0, s.nodes().getFirst().capacity().gpus());
        var bad = assertThrows(IllegalArgumentException.class, () -> ColonySettings.fromConfig(
                ConfigFactory.parseString("colony.gpu.offload-min-flops = -1")));
        assertTrue(bad.getMessage().contains("colony.gpu.offload-min-flops = -1.0 must be >= 0"), bad.getMessage());
    }

    @Test
    @Tag("gpu")
    void shouldRunALargeGemmOnTheGpuAndASmallOneOnTheCpu() throws Exception {
        Assumptions.assumeTrue(hasGpu(), "GPU test skipped: no GPU");
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(MEMORY
                + "colony.node.gpus = auto")))) {
            JobResult r = colony.submit(JobSpec.of("gpu", List.of(TaskSpec.of("big", "gemm", Map.of("n", 2048)),
                    TaskSpec.of("small", "gemm", Map.of("n", 64))))).toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.reason());
            assertEquals("cublas", r.outputs().get("big").get("backend").asText(), r.outputs().toString());
            assertTrue(r.outputs().get("big").get("kernel_ms").asDouble() > 0);
            assertTrue(!r.outputs().get("small").get("backend").asText().equals("cublas"));
        }
    }
}
