package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Kernels that misbehave on purpose, for tests. */
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
}
