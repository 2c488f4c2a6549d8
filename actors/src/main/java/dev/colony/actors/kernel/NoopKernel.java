package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.colony.actors.job.ResourceRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Does nothing and returns null: measures the runtime's own overhead. Needs a hundredth of a core. */
public final class NoopKernel implements Kernel {

    private static final ResourceRequest TINY = ResourceRequest.cpus(0.01);

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public String description() {
        return "does nothing; measures dispatch overhead";
    }

    @Override
    public ResourceRequest resourceHint(JsonNode params) {
        return TINY;
    }

    @Override
    public List<String> validate(JsonNode params) {
        return Params.check(name(), params).allowOnly(Set.of()).problems();
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        return NullNode.getInstance();
    }
}
