package dev.colony.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.Params;
import dev.colony.actors.kernel.TaskContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Kernels that misbehave on purpose; loaded through colony.kernels.classes. */
public final class TestKernels {

    private TestKernels() {
    }

    /** Throws with the message in param {@code message}. */
    public static final class Failing implements Kernel {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
            throw new IllegalStateException(Params.textOr(context.params(), "message", "boom"));
        }
    }

    /** Blocks until interrupted. */
    public static final class Hanging implements Kernel {
        @Override
        public String name() {
            return "hanging";
        }

        @Override
        public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) throws InterruptedException {
            new CountDownLatch(1).await();
            return TextNode.valueOf("unreachable");
        }
    }

    /** Fails the first attempt of every task, succeeds afterwards; counts invocations per task. */
    public static final class Flaky implements Kernel {
        static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

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
}
