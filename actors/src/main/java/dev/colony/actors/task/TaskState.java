package dev.colony.actors.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.TaskSpec;
import java.util.Map;

/**
 * A task entity's durable state: immutable, changed only by {@link #apply(TaskEvent)}.
 *
 * @param attempts     kernel runs started so far
 * @param node         node of the current or last attempt
 * @param lastError    reason of the last failed attempt
 * @param queueWaitMs  wait of the last attempt on its node
 * @param runMs        kernel time of the last attempt
 */
public record TaskState(Phase phase, String jobId, TaskSpec spec, Map<String, JsonNode> inputs, int priority,
                        int attempts, String node, String lastError, long queueWaitMs, long runMs)
        implements CborSerializable {

    /** Where the task is in its life. */
    public enum Phase {
        /** Created, not yet told what to run. */
        IDLE,
        /** Looking for a node, or holding a lease about to run. */
        PLACING,
        /** An attempt's kernel is running. */
        RUNNING,
        /** Finished with an output. */
        SUCCEEDED,
        /** Finished without one. */
        FAILED,
        /** Withdrawn by its job. */
        CANCELLED;

        /** Whether the task is over. */
        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /** The state of a task that has not been told anything. */
    public static final TaskState IDLE = new TaskState(Phase.IDLE, null, null, Map.of(), 0, 0, null, null, 0, 0);

    /** The state after {@code event}; pure. */
    public TaskState apply(TaskEvent event) {
        return switch (event) {
            case TaskEvent.Started e -> new TaskState(Phase.PLACING, e.jobId(), e.spec(), e.inputs(), e.priority(),
                    0, null, null, 0, 0);
            case TaskEvent.AttemptStarted e -> new TaskState(Phase.RUNNING, jobId, spec, inputs, priority, e.attempt(),
                    e.node(), lastError, e.queueWaitMs(), 0);
            case TaskEvent.AttemptFailed e -> new TaskState(Phase.PLACING, jobId, spec, inputs, priority, attempts,
                    node, e.reason(), queueWaitMs, e.runMs());
            case TaskEvent.AttemptWithdrawn e -> new TaskState(Phase.PLACING, jobId, spec, inputs, priority,
                    attempts - 1, node, e.reason(), queueWaitMs, runMs);
            case TaskEvent.Succeeded e -> new TaskState(Phase.SUCCEEDED, jobId, spec, inputs, priority, attempts, node,
                    lastError, queueWaitMs, e.runMs());
            case TaskEvent.Failed e -> new TaskState(Phase.FAILED, jobId, spec, inputs, priority, attempts, node,
                    e.reason(), queueWaitMs, runMs);
            case TaskEvent.Cancelled e -> new TaskState(Phase.CANCELLED, jobId, spec, inputs, priority, attempts, node,
                    e.reason(), queueWaitMs, runMs);
        };
    }
}
