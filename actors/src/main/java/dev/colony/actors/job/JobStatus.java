package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import java.util.Map;

/**
 * A job's progress at one moment.
 *
 * @param phase  Unknown (no such job), Queued, Running, Succeeded or Failed
 * @param reason why it failed, or null
 * @param tasks  task id → summary: every task (the full form), none (the small form:
 *               {@code counts} only) or one page of them ({@code page})
 * @param counts how many tasks are in each state; null in the full form
 * @param page   which tasks {@code tasks} holds when it is a page, else null
 */
public record JobStatus(String jobId, Phase phase, String reason, Map<String, TaskSummary> tasks, long acceptedAtMs,
                        long finishedAtMs, Map<TaskSummary.TaskState, Long> counts, Page page)
        implements CborSerializable {

    /** The full form: every task's summary. */
    public JobStatus(String jobId, Phase phase, String reason, Map<String, TaskSummary> tasks, long acceptedAtMs,
                     long finishedAtMs) {
        this(jobId, phase, reason, tasks, acceptedAtMs, finishedAtMs, null, null);
    }

    /** A status that is not a page. */
    public JobStatus(String jobId, Phase phase, String reason, Map<String, TaskSummary> tasks, long acceptedAtMs,
                     long finishedAtMs, Map<TaskSummary.TaskState, Long> counts) {
        this(jobId, phase, reason, tasks, acceptedAtMs, finishedAtMs, counts, null);
    }

    /**
     * Page {@code number} (from 0) of {@code size} tasks, in the order of the job's spec, among the
     * {@code matching} tasks in {@code state} (null: all of them).
     */
    public record Page(TaskSummary.TaskState state, int number, int size, long matching) {

        /** How many pages the matching tasks fill (at least 1). */
        public long pages() {
            return Math.max(1, (matching + size - 1) / size);
        }
    }

    /** Where a job is in its life. */
    public enum Phase {
        /** No job with this id was accepted. */
        UNKNOWN,
        /**
         * Accepted and journalled; waits for its process's admission (colony.jobs.max-running jobs
         * run at once) before its tasks go out.
         */
        QUEUED,
        /** Accepted; tasks are waiting, placing or running. */
        RUNNING,
        /** Every task succeeded. */
        SUCCEEDED,
        /** A task failed for good, or the job was cancelled. */
        FAILED
    }

    /** This status in phase {@code p}. */
    public JobStatus withPhase(Phase p) {
        return new JobStatus(jobId, p, reason, tasks, acceptedAtMs, finishedAtMs, counts, page);
    }

    /** Number of tasks in state {@code s}. */
    public long count(TaskSummary.TaskState s) {
        return counts != null ? counts.getOrDefault(s, 0L) : tasks.values().stream().filter(t -> t.state() == s).count();
    }
}
