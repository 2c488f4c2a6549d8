package dev.colony.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.Params;
import dev.colony.actors.kernel.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A user-defined kernel: throws {@code samples} random darts at the unit square and counts those
 * inside the quarter circle. Register a kernel like this one by listing its class in
 * {@code META-INF/services/dev.colony.actors.kernel.Kernel} (or in {@code colony.kernels.classes}).
 *
 * <p>Output: {@code {"inside": n, "samples": m, "value": 4n/m}}; a {@code sum} task over several of
 * these adds their {@code value}s.
 */
public final class MonteCarloPiKernel implements Kernel {

    @Override
    public String name() {
        return "monte-carlo-pi";
    }

    @Override
    public String description() {
        return "estimates pi from 'samples' random points (sample kernel)";
    }

    @Override
    public List<String> validate(JsonNode params) {
        return Params.check(name(), params).allowOnly(Set.of("samples", "seed"))
                .required("samples").longInRange("samples", 1, 10_000_000_000L).problems();
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        long samples = Params.longOr(context.params(), "samples", 0);
        var random = new SplittableRandom(Params.longOr(context.params(), "seed", 1));
        long inside = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1) {
                inside++;
            }
            if ((i & 0xFFFFF) == 0) {
                context.checkCancelled();
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("inside", inside);
        out.put("samples", samples);
        out.put("value", 4.0 * inside / samples);
        return out;
    }
}
