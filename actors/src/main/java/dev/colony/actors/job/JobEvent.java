package dev.colony.actors.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.TaskOutput;
import java.util.List;

/**
 * What happened to a job and its tasks, in the past tense: the input of {@link JobState#apply}
 * and what the job entity journals, in batches. The job is the unit of durability: a task's
 * attempts and outcome are events of its job, task entities journal nothing. Releasing tasks is
 * not journalled separately: which tasks are released follows from Accepted (the roots) and each
 * TaskSucceeded (children whose parents all succeeded), and so is the attempt number each release
 * reserves; a task that runs once costs one or two events (AttemptStarted, left out when the
 * outcome is in the same batch, and TaskSucceeded), written with those of other tasks in one
 * {@link Batch}.
 */
public sealed interface JobEvent extends CborSerializable {

    /**
     * The job was accepted with its validated, defaulted spec (whose tasks are those of the
     * TasksAdded events just before, then its own); its root tasks were released.
     *
     * @param policyVersion the placement policy version its tasks use (absent in older journals: 0)
     */
    record Accepted(JobSpec spec, long atMs, long policyVersion, String submission) implements JobEvent {
    }

    /**
     * Tasks of the job about to be accepted: a large spec is journalled as these, in chunks of
     * {@link #TASKS_PER_EVENT}, followed by its Accepted (with the last chunk) in the same write.
     */
    record TasksAdded(List<TaskSpec> tasks) implements JobEvent {
    }

    /** Most tasks one Accepted or TasksAdded event holds. */
    int TASKS_PER_EVENT = 1000;

    /** The events that accept {@code spec}: its tasks in chunks, then Accepted (with the last chunk). */
    static List<JobEvent> accepted(JobSpec spec, long atMs, long policyVersion, String submission) {
        List<TaskSpec> tasks = spec.tasks();
        List<JobEvent> events = new java.util.ArrayList<>();
        int from = 0;
        for (; tasks.size() - from > TASKS_PER_EVENT; from += TASKS_PER_EVENT) {
            events.add(new TasksAdded(tasks.subList(from, from + TASKS_PER_EVENT)));
        }
        events.add(new Accepted(from == 0 ? spec : spec.withTasks(tasks.subList(from, tasks.size())), atMs,
                policyVersion, submission));
        return events;
    }

    /**
     * Attempt {@code attempt} of task {@code taskId} runs on {@code node} (journalled with the
     * task's next batch; left out when its outcome is in the same batch).
     *
     * @param queueWaitMs how long it waited on its node
     * @param policy      the placement policy that chose the node
     * @param atMs        when the node granted the lease, by its clock
     */
    record AttemptStarted(String taskId, int attempt, String node, long queueWaitMs, String policy, long atMs)
            implements JobEvent {
    }

    /**
     * Attempt {@code attempt} of task {@code taskId} ended without an output: its kernel failed
     * ({@code counts}: toward the task's maxAttempts), or it was withdrawn (its lease lapsed, its
     * node or the process hosting the task went away, its inputs were lost: it does not count).
     */
    record AttemptEnded(String taskId, int attempt, String node, String reason, long runMs, boolean counts)
            implements JobEvent {
    }

    /**
     * Attempt number {@code attempt} is handed to task {@code taskId} for its next attempt (a
     * running attempt the journal knows of was interrupted: it does not count). Releasing a task
     * reserves its next number too (see {@link JobState}), so a number is journalled before any
     * kernel runs under it, and never handed out twice.
     */
    record AttemptReserved(String taskId, int attempt) implements JobEvent {
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

    /**
     * The events of one batch of task reports (and the job's end, when the batch ends it), in
     * order, journalled as one event: one row where each would take its own (a journal row costs
     * its insert and index entry whatever it holds; per event, H2 and the JDBC plugin took 38 % of
     * a node's CPU in {@code colony bench throughput}). Never nested, never empty.
     */
    record Batch(@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind") @JsonSubTypes({
            @JsonSubTypes.Type(value = AttemptStarted.class, name = "started"),
            @JsonSubTypes.Type(value = AttemptEnded.class, name = "ended"),
            @JsonSubTypes.Type(value = AttemptReserved.class, name = "reserved"),
            @JsonSubTypes.Type(value = TaskSucceeded.class, name = "succeeded"),
            @JsonSubTypes.Type(value = TaskFailed.class, name = "failed"),
            @JsonSubTypes.Type(value = OutputsLost.class, name = "lost"),
            @JsonSubTypes.Type(value = Succeeded.class, name = "job-succeeded"),
            @JsonSubTypes.Type(value = Failed.class, name = "job-failed")}) List<JobEvent> events)
            implements JobEvent {

        /** Copies the list; rejects an empty one, a nested batch and a job's acceptance. */
        public Batch {
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("an empty batch of job events");
            }
            for (JobEvent e : events) {
                if (e instanceof Batch || e instanceof Accepted || e instanceof TasksAdded) {
                    throw new IllegalArgumentException("a batch of job events holds no " + e.getClass().getSimpleName());
                }
            }
        }
    }

    /** {@code events} as they are journalled: none, the one, or a {@link Batch} of them. */
    static List<JobEvent> batched(List<JobEvent> events) {
        return events.size() <= 1 ? List.copyOf(events) : List.of(new Batch(events));
    }

    /** The events {@code event} stands for: a batch's, in order, or itself. */
    static List<JobEvent> unbatched(JobEvent event) {
        return event instanceof Batch b ? b.events() : List.of(event);
    }
}
