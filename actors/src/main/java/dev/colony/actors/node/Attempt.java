package dev.colony.actors.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import java.util.Map;

/**
 * One run of a task's kernel, as sent to the node that holds its lease.
 *
 * @param inputs    input name → output of the producing task
 * @param timeoutMs the node cancels the kernel after this long
 */
public record Attempt(String jobId, String taskId, int attempt, String kernel, JsonNode params,
                      Map<String, JsonNode> inputs, long timeoutMs) implements CborSerializable {
}
