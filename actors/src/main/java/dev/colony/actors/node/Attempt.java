package dev.colony.actors.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.TaskOutput;
import java.util.Map;

/**
 * One run of a task's kernel, as sent to the node that holds its lease.
 *
 * @param attempt   the attempt number: unique per task, so results are keyed by (job, task, attempt)
 * @param inputs    input name → output of the producing task (inline, or in an output store)
 * @param timeoutMs the node cancels the kernel after this long
 * @param policyVersion version of the placement policy that chose the node (for attribution)
 */
public record Attempt(String jobId, String taskId, int attempt, String kernel, JsonNode params,
                      Map<String, TaskOutput> inputs, long timeoutMs, long policyVersion) implements CborSerializable {
}
