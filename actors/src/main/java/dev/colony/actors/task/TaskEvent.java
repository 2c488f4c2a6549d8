package dev.colony.actors.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.TaskSpec;
import java.util.Map;

/** What happened to a task, in the past tense: the input of {@link TaskState#apply}. */
public sealed interface TaskEvent extends CborSerializable {

    /** The job released the task with its parents' outputs. */
    record Started(String jobId, TaskSpec spec, Map<String, JsonNode> inputs, int priority) implements TaskEvent {
    }

    /** A lease was granted and attempt {@code attempt} was sent to {@code node}. */
    record AttemptStarted(int attempt, String node, long leaseId, long queueWaitMs) implements TaskEvent {
    }

    /** Attempt {@code attempt} failed; the task may try again. */
    record AttemptFailed(int attempt, String node, String reason, long runMs) implements TaskEvent {
    }

    /** The lease of attempt {@code attempt} lapsed before the kernel ran: the attempt is withdrawn. */
    record AttemptWithdrawn(int attempt, String node, String reason) implements TaskEvent {
    }

    /** The kernel returned {@code output}. */
    record Succeeded(int attempt, String node, JsonNode output, long runMs) implements TaskEvent {
    }

    /** The task gave up. */
    record Failed(String reason) implements TaskEvent {
    }

    /** The job withdrew the task. */
    record Cancelled(String reason) implements TaskEvent {
    }
}
