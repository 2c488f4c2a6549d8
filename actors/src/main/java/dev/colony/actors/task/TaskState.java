package dev.colony.actors.task;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.output.TaskOutput;

/**
 * What a task incarnation knows of its task: what the job journalled (brought by its
 * {@code Execute}, {@link #of}) and what it did since, changed only by {@link #apply(TaskEvent)}.
 * Immutable. What to run (spec, inputs) is not part of it.
 *
 * @param lastAttempt  number of the latest attempt started (attempt numbers never repeat)
 * @param attempts     attempts that count toward maxAttempts (withdrawn ones do not)
 * @param node         node of the current or last attempt
 * @param lastError    reason of the last failed attempt
 * @param queueWaitMs  wait of the last attempt on its node
 * @param runMs        kernel time of the last attempt
 * @param output       the output, once succeeded
 * @param policy       placement policy (name and version) of the last attempt
 * @param reruns       times the job had it run again after its output was lost
 * @param startedAtMs  when the last attempt's lease was granted (0: not known)
 */
public record TaskState(Phase phase, int lastAttempt, int attempts, String node, String lastError, long queueWaitMs,
                        long runMs, TaskOutput output, String policy, int reruns, long startedAtMs)
        implements CborSerializable {

    /** Where the task is in its life. */
    public enum Phase {
        /** Nothing journalled yet: placing its first attempt, or not told what to run. */
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
    public static final TaskState IDLE = new TaskState(Phase.IDLE, 0, 0, null, null, 0, 0, null, null, 0, 0);

    /**
     * What the job's journal says of the task, as brought by {@code m}: the last number that may be
     * in use is the one handed out, unless {@code m} is fresh (then that one is the next attempt's).
     */
    static TaskState of(Task.Execute m) {
        TaskSummary j = m.journalled();
        int last = m.fresh() ? m.attempt() - 1 : m.attempt();
        if (j == null) {
            return new TaskState(Phase.PLACING, last, 0, null, null, 0, 0, null, null, m.reruns(), 0);
        }
        Phase phase = j.state() == TaskSummary.TaskState.RUNNING ? Phase.RUNNING : Phase.PLACING;
        return new TaskState(phase, last, j.attempts(), j.node(), j.error(), j.queueWaitMs(), j.runMs(),
                null, j.policy(), m.reruns(), j.startedAtMs());
    }

    /** The state after {@code event}; pure. */
    public TaskState apply(TaskEvent event) {
        return switch (event) {
            case TaskEvent.AttemptStarted e -> new TaskState(Phase.RUNNING, e.attempt(), attempts + 1, e.node(),
                    lastError, e.queueWaitMs(), 0, null, e.policy(), reruns, e.atMs());
            case TaskEvent.AttemptFailed e -> new TaskState(Phase.PLACING, lastAttempt, attempts, node, e.reason(),
                    queueWaitMs, e.runMs(), null, policy, reruns, startedAtMs);
            case TaskEvent.AttemptWithdrawn e -> new TaskState(Phase.PLACING, lastAttempt, attempts - 1, node,
                    e.reason(), queueWaitMs, runMs, null, policy, reruns, startedAtMs);
            case TaskEvent.Succeeded e -> new TaskState(Phase.SUCCEEDED, lastAttempt, attempts, node, lastError,
                    queueWaitMs, e.runMs(), e.output(), policy, reruns, startedAtMs);
            case TaskEvent.Failed e -> new TaskState(Phase.FAILED, lastAttempt, attempts, node, e.reason(),
                    queueWaitMs, runMs, null, policy, reruns, startedAtMs);
            case TaskEvent.Rerun e -> new TaskState(Phase.PLACING, lastAttempt, 0, node, "its output was lost: run "
                    + "again", queueWaitMs, runMs, null, policy, e.rerun(), startedAtMs);
            case TaskEvent.Cancelled e -> new TaskState(Phase.CANCELLED, lastAttempt, attempts, node, e.reason(),
                    queueWaitMs, runMs, null, policy, reruns, startedAtMs);
        };
    }

    /** What the job shows of this task; {@code current} names the policy when no attempt has started. */
    public TaskSummary summary(String current) {
        TaskSummary.TaskState s = switch (phase) {
            case SUCCEEDED -> TaskSummary.TaskState.SUCCEEDED;
            case FAILED -> TaskSummary.TaskState.FAILED;
            case CANCELLED -> TaskSummary.TaskState.CANCELLED;
            case RUNNING -> TaskSummary.TaskState.RUNNING;
            default -> TaskSummary.TaskState.RELEASED;
        };
        return new TaskSummary(s, node, attempts, queueWaitMs, runMs, policy != null ? policy : current, lastError,
                reruns, startedAtMs);
    }
}
