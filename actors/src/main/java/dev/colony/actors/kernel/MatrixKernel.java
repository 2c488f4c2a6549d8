package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.output.TensorShape;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded random {@code rows × cols} matrix as the task's output: a tensor in the node's output
 * store, which {@code gemm} tasks read as inputs {@code a} or {@code b} (the tiles of a blocked
 * multiply, say) without a copy to the heap. The same seed gives the same matrix on every node.
 */
public final class MatrixKernel implements Kernel {

    private static final Set<String> PARAMS = Set.of("rows", "cols", "dtype", "seed");

    @Override
    public String name() {
        return "matrix";
    }

    @Override
    public String description() {
        return "a seeded random matrix as a tensor output; params rows, cols, dtype, seed";
    }

    @Override
    public ResourceRequest resourceHint(JsonNode params) {
        return new ResourceRequest(1, bytes(params), 0, 0);
    }

    @Override
    public double workSize(JsonNode params) {
        return bytes(params);
    }

    @Override
    public List<String> validate(JsonNode params) {
        return Params.check(name(), params).allowOnly(PARAMS).longInRange("rows", 1, GemmKernel.MAX_DIM)
                .longInRange("cols", 1, GemmKernel.MAX_DIM).oneOf("dtype", Set.of("f32", "f64"))
                .longInRange("seed", Long.MIN_VALUE, Long.MAX_VALUE).problems();
    }

    @Override
    public Optional<Set<String>> inputNames() {
        return Optional.of(Set.of());
    }

    @Override
    public Optional<TensorShape> outputShape(JsonNode p, Map<String, TensorShape> inputs) {
        return Optional.of(TensorShape.of(DType.parse(Params.textOr(p, "dtype", "f32")),
                (int) Params.longOr(p, "rows", 256), (int) Params.longOr(p, "cols", 256)));
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        JsonNode p = context.params();
        Matrix m = context.tensors().newOutput(DType.parse(Params.textOr(p, "dtype", "f32")),
                (int) Params.longOr(p, "rows", 256), (int) Params.longOr(p, "cols", 256));
        m.fillRandom(new SplittableRandom(Params.longOr(p, "seed", 42)));
        return context.tensors().output(m);
    }

    private static long bytes(JsonNode p) {
        return Params.longOr(p, "rows", 256) * Params.longOr(p, "cols", 256)
                * DType.parse(Params.textOr(p, "dtype", "f32")).sizeBytes();
    }
}
