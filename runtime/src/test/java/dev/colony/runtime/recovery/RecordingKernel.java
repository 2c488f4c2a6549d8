package dev.colony.runtime.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.Params;
import dev.colony.actors.kernel.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code record}: appends "pid job task attempt start|end" to the file named by the system property
 * {@code colony.test.kernel-log} around a sleep of {@code ms}, and returns {@code value} plus the sum
 * of its inputs' values, padded so the output is too large to travel inline in the tests.
 */
public final class RecordingKernel implements Kernel {

    @Override
    public String name() {
        return "record";
    }

    @Override
    public String description() {
        return "test kernel that logs each invocation";
    }

    @Override
    public ResourceRequest resourceHint(JsonNode params) {
        return ResourceRequest.ONE_CPU;
    }

    @Override
    public JsonNode run(TaskContext ctx, Map<String, JsonNode> inputs) throws InterruptedException {
        log(ctx, "start");
        Thread.sleep(Params.longOr(ctx.params(), "ms", 100));
        long value = Params.longOr(ctx.params(), "value", 0);
        for (JsonNode in : inputs.values()) {
            value += in.get("value").asLong();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("value", value);
        var pad = out.putArray("pad");
        for (int i = 0; i < 32; i++) {
            pad.add(value * i);
        }
        log(ctx, "end");
        return out;
    }

    private static void log(TaskContext ctx, String what) {
        String file = System.getProperty("colony.test.kernel-log");
        if (file == null) {
            return;
        }
        String line = ProcessHandle.current().pid() + " " + ctx.jobId() + " " + ctx.taskId() + " " + ctx.attempt()
                + " " + what + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
