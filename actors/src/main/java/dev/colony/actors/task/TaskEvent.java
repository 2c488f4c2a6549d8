package dev.colony.actors.task;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.TaskOutput;

/**
 * What happened to a task incarnation, in the past tense: the input of {@link TaskState#apply}.
 * The task reports attempts and outcomes to its job, which journals them as its own events; these
 * were a task entity's own journal before the job became the unit of durability, and older
 * journals still hold them ({@code colony journal inspect} reads them).
 */
public sealed interface TaskEvent extends CborSerializable {

    /**
     * A lease was granted and attempt {@code attempt} (numbers never repeat) was sent to {@code node}.
     *
     * @param policy name of the placement policy that chose the node (null in older journals)
     * @param atMs   when the node granted the lease, by its clock (0 in older journals)
     */
    record AttemptStarted(int attempt, String node, long leaseId, long queueWaitMs, String policy, long atMs)
            implements TaskEvent {
    }

    /** Attempt {@code attempt} failed; it counts toward the task's maxAttempts. */
    record AttemptFailed(int attempt, String node, String reason, long runMs) implements TaskEvent {
    }

    /**
     * Attempt {@code attempt} ended without its kernel's verdict and does not count: its lease lapsed
     * before the kernel ran, or the process hosting the task restarted. Its number is not reused.
     */
    record AttemptWithdrawn(int attempt, String node, String reason) implements TaskEvent {
    }

    /** Attempt {@code attempt}'s kernel returned {@code output}. */
    record Succeeded(int attempt, String node, TaskOutput output, long runMs) implements TaskEvent {
    }

    /** The task gave up. */
    record Failed(String reason) implements TaskEvent {
    }

    /**
     * The job asked the finished task to run again, for the {@code rerun}-th time, because its
     * output was lost before every reader had it: it negotiates anew, with a fresh count of
     * attempts, and numbers them on from the last one (so no file of an earlier attempt is
     * overwritten).
     */
    record Rerun(int rerun) implements TaskEvent {
    }

    /** The job withdrew the task. */
    record Cancelled(String reason) implements TaskEvent {
    }
}
