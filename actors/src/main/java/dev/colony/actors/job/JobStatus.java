package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import java.util.Map;

/**
 * A job's progress at one moment.
 *
 * @param phase  Unknown (no such job), Running, Succeeded or Failed
 * @param reason why it failed, or null
 * @param tasks  task id → summary
 */
public record JobStatus(String jobId, Phase phase, String reason, Map<String, TaskSummary> tasks, long acceptedAtMs,
                        long finishedAtMs) implements CborSerializable {

    /** Where a job is in its life. */
    public enum Phase {
        /** No job with this id was accepted. */
        UNKNOWN,
        /** Accepted; tasks are waiting, placing or running. */
        RUNNING,
        /** Every task succeeded. */
        SUCCEEDED,
        /** A task failed for good, or the job was cancelled. */
        FAILED
    }

    /** Number of tasks in state {@code s}. */
    public long count(TaskSummary.TaskState s) {
        return tasks.values().stream().filter(t -> t.state() == s).count();
    }
}
