package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.TaskOutput;
import java.util.List;

/**
 * What happened to a job, in the past tense: the input of {@link JobState#apply} and what the job
 * entity journals. Releasing tasks is not journalled separately: which tasks are released follows
 * from Accepted (the roots) and each TaskSucceeded (children whose parents all succeeded), so a
 * job writes one event per task plus two.
 */
public sealed interface JobEvent extends CborSerializable {

    /**
     * The job was accepted with its validated, defaulted spec; its root tasks were released.
     *
     * @param policyVersion the placement policy version its tasks use (absent in older journals: 0)
     */
    record Accepted(JobSpec spec, long atMs, long policyVersion, String submission) implements JobEvent {
    }

    /** Attempt {@code attempt} of a task succeeded with {@code output}; children it completes are released. */
    record TaskSucceeded(String taskId, int attempt, TaskOutput output, TaskSummary summary) implements JobEvent {
    }

    /** A task failed for good. */
    record TaskFailed(String taskId, TaskSummary summary) implements JobEvent {
    }

    /**
     * An attempt of task {@code taskId} could not read outputs that their producers can no longer
     * serve (their node died, or the file is gone): {@code producers} (those whose recorded output
     * was lost, possibly none when another report came first) run again, and the task waits for
     * them. Their earlier TaskSucceeded is superseded by the next one.
     */
    record OutputsLost(String taskId, List<String> producers, String reason) implements JobEvent {
    }

    /** Every task succeeded. */
    record Succeeded(long atMs) implements JobEvent {
    }

    /** The job failed (a task failed for good, or it was cancelled). */
    record Failed(String reason, long atMs) implements JobEvent {
    }
}
