package dev.colony.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;

/** What happened to a job, in the past tense: the input of {@link JobState#apply}. */
public sealed interface JobEvent extends CborSerializable {

    /** The job was accepted with its validated, defaulted spec. */
    record Accepted(JobSpec spec, long atMs) implements JobEvent {
    }

    /** A task's parents all succeeded and it was handed to its task entity. */
    record TaskReleased(String taskId) implements JobEvent {
    }

    /** A task's attempt started on a node ({@code summary} says where). */
    record TaskRunning(String taskId, TaskSummary summary) implements JobEvent {
    }

    /** A task succeeded with {@code output}. */
    record TaskSucceeded(String taskId, JsonNode output, TaskSummary summary) implements JobEvent {
    }

    /** A task failed for good. */
    record TaskFailed(String taskId, TaskSummary summary) implements JobEvent {
    }

    /** Every task succeeded. */
    record Succeeded(long atMs) implements JobEvent {
    }

    /** The job failed (a task failed for good, or it was cancelled). */
    record Failed(String reason, long atMs) implements JobEvent {
    }
}
