package dev.colony.actors.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.colony.gpu.BlasBackends;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class BuiltInKernelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TaskContext context(Map<String, ?> params, double speed) {
        return new TaskContext("j", "t", 1, JSON.valueToTree(params), "n1", speed, 1);
    }

    /** A cancel (the kernel thread's interrupt) stops a large CPU multiply between its column tiles. */
    @Test
    void shouldStopALargeMultiplyBetweenTilesWhenCancelled() {
        List<Integer> widths = new java.util.ArrayList<>();
        dev.colony.gpu.Blas cancelsAfterOneTile = new dev.colony.gpu.Blas() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public void gemm(double alpha, dev.colony.gpu.Matrix a, dev.colony.gpu.Matrix b, double beta,
                             dev.colony.gpu.Matrix c) {
                widths.add(c.cols());
                Thread.currentThread().interrupt(); // as KernelRun.cancel(true) does while a tile runs
            }

            @Override
            public void gemv(double alpha, dev.colony.gpu.Matrix a, dev.colony.gpu.Matrix x, double beta,
                             dev.colony.gpu.Matrix y) {
            }
        };
        try {
            assertThrows(CancellationException.class, () -> new GemmKernel(cancelsAfterOneTile, 1e9).run(
                    context(Map.of("n", 2048), 1), Map.of()));
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, widths.size(), "one tile ran, then the cancel was seen: " + widths);
        assertEquals(1024, widths.getFirst(), "2 tiles of 1,024 columns (tiles are at least that wide)");
        assertEquals(4, TiledGemm.tiles(2.0 * 8192 * 8192 * 8192, TiledGemm.FLOPS, 8192), "4 tiles of 2,048 columns");
        assertEquals(1, TiledGemm.tiles(2.0 * 4096 * 4096 * 4096, TiledGemm.FLOPS, 4096),
                "multiplies up to about 5,000 cubed run in one call");
    }

    @Test
    void shouldDiscoverBuiltInKernelsWithServiceLoader() {
        var registry = KernelRegistry.discover(getClass().getClassLoader(), List.of());
        assertEquals("gemm, matrix, noop, spin, sum", registry.knownNames());
    }

    @Test
    void shouldLoadKernelClassNamedInSettingsAndExplainBadOne() {
        var registry = KernelRegistry.discover(getClass().getClassLoader(), List.of(TestKernels.Failing.class.getName()));
        assertTrue(registry.find("failing").isPresent());
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelRegistry.discover(getClass().getClassLoader(), List.of("no.such.Kernel")));
        assertTrue(e.getMessage().contains("cannot load kernel class 'no.such.Kernel'"), e.getMessage());
    }

    @Test
    void shouldSpinHalfTheCpuOnATwiceAsFastNode() {
        var spin = new SpinKernel();
        double slow = spin.run(context(Map.of("work", 40), 1.0), Map.of()).get("cpuMs").asDouble();
        double fast = spin.run(context(Map.of("work", 40), 2.0), Map.of()).get("cpuMs").asDouble();
        assertEquals(40, slow, 5);
        assertEquals(20, fast, 5);
    }

    @Test
    void shouldStopSpinningWhenCancelled() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> new SpinKernel().run(context(Map.of("work", 60_000), 1), Map.of()));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldSumValuesAndInputsAndNameBadInput() {
        var sum = new SumKernel();
        Map<String, JsonNode> inputs = Map.of("a", DoubleNode.valueOf(2.5), "b", JSON.valueToTree(Map.of("value", 4)));
        assertEquals(12.5, sum.run(context(Map.of("values", List.of(1, 5)), 1), inputs).asDouble());
        var e = assertThrows(IllegalArgumentException.class,
                () -> sum.run(context(Map.of(), 1), Map.of("x", JSON.valueToTree(Map.of("k", "v")))));
        assertTrue(e.getMessage().contains("input 'x' is not a number"), e.getMessage());
        assertEquals(List.of("kernel 'sum' parameter 'values' = [\"a\"] must be an array of numbers"),
                sum.validate(JSON.valueToTree(Map.of("values", List.of("a")))));
    }

    @Test
    void shouldMultiplyMatricesProducedByParents() throws Exception {
        var gemm = new GemmKernel();
        JsonNode a = gemm.run(context(Map.of("m", 3, "k", 2, "n", 4, "seed", 1, "output", "matrix"), 1), Map.of());
        JsonNode b = gemm.run(context(Map.of("m", 4, "k", 2, "n", 5, "seed", 2, "output", "matrix"), 1), Map.of());
        assertEquals(3, a.get("rows").asInt());
        assertEquals(4, a.get("cols").asInt());
        JsonNode product = gemm.run(context(Map.of("output", "matrix"), 1), Map.of("a", a, "b", b));
        assertEquals(3, product.get("rows").asInt());
        assertEquals(5, product.get("cols").asInt());
        JsonNode summary = gemm.run(context(Map.of(), 1), Map.of("a", a, "b", b));
        assertEquals(BlasBackends.detected().best().name(), summary.get("backend").asText()); // openblas here
        assertTrue(summary.get("frobenius").asDouble() > 0);
        var e = assertThrows(IllegalArgumentException.class, () -> gemm.run(context(Map.of(), 1), Map.of("a", a, "b", a)));
        assertTrue(e.getMessage().contains("A is 3x4 f32, B is 3x4 f32"), e.getMessage());
    }

    @Test
    void shouldMakeTheSameSeededMatrixForAGemmInput() throws Exception {
        var matrix = new MatrixKernel();
        JsonNode a = matrix.run(context(Map.of("rows", 3, "cols", 2, "seed", 5), 1), Map.of());
        assertEquals(3, a.get("rows").asInt());
        assertEquals(a, matrix.run(context(Map.of("rows", 3, "cols", 2, "seed", 5), 1), Map.of()));
        JsonNode product = new GemmKernel().run(context(Map.of("n", 4, "output", "matrix"), 1), Map.of("a", a));
        assertEquals(3, product.get("rows").asInt());
        assertTrue(matrix.validate(JsonNodeFactory.instance.objectNode().put("rows", 0)).getFirst().contains("rows"));
    }
}
