package dev.colony.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.TaskContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Fails the first attempt of every task and succeeds afterwards (see also the actors' test kernels). */
public final class FlakyKernel implements Kernel {

    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        int n = CALLS.computeIfAbsent(context.jobId() + "/" + context.taskId(), k -> new AtomicInteger()).incrementAndGet();
        if (n == 1) {
            throw new IllegalStateException("first attempt always fails");
        }
        return TextNode.valueOf("ok on attempt " + context.attempt());
    }
}
