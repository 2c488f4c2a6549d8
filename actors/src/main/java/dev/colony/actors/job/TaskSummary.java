package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;

/**
 * What a job knows about one of its tasks.
 *
 * @param node        node of the last attempt, or null before placement
 * @param attempts    kernel runs so far
 * @param queueWaitMs time the last attempt waited on its node for resources
 * @param runMs       kernel time of the last attempt
 * @param policy      placement policy that chose the node
 * @param error       the last failure, or null
 * @param reruns      times the task was run again after it succeeded, because its output was lost
 *                    before every task that reads it had (0: its first run)
 * @param startedAtMs when its node granted the last attempt's lease (epoch ms, the node's clock; 0
 *                    before that): the attempt waited in the node's queue for {@code queueWaitMs}
 *                    before it, and its kernel ran for about {@code runMs} after it
 */
public record TaskSummary(TaskState state, String node, int attempts, long queueWaitMs, long runMs, String policy,
                          String error, int reruns, long startedAtMs) implements CborSerializable {

    /** A task's place in its life. */
    public enum TaskState {
        /** Waiting for its parents. */
        PENDING,
        /** Released to its task actor, which is negotiating for a node. */
        RELEASED,
        /** An attempt is running on a node. */
        RUNNING,
        /** Its kernel returned an output. */
        SUCCEEDED,
        /** It used all its attempts, or could not be placed. */
        FAILED,
        /** The job ended before it ran. */
        CANCELLED
    }

    /** A task waiting for its parents. */
    public static final TaskSummary PENDING = new TaskSummary(TaskState.PENDING, null, 0, 0, 0, null, null, 0, 0);

    /** A copy in another state. */
    public TaskSummary withState(TaskState s) {
        return new TaskSummary(s, node, attempts, queueWaitMs, runMs, policy, error, reruns, startedAtMs);
    }

    /** Released to run again, with a fresh count of attempts, its output having been lost for {@code why}. */
    public TaskSummary rerun(String why) {
        return new TaskSummary(TaskState.RELEASED, node, 0, queueWaitMs, runMs, policy, why, reruns + 1, startedAtMs);
    }
}
