package dev.colony.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * A job entity's durable state: immutable, changed only by {@link #apply(JobEvent)}. Task maps are
 * persistent (structure-sharing) maps, so each event costs O(log n), not a copy of the job.
 *
 * @param unfinished tasks not yet succeeded
 */
public record JobState(JobSpec spec, JobStatus.Phase phase, String reason, PMap<String, TaskSummary> tasks,
                       PMap<String, JsonNode> outputs, int unfinished, long acceptedAtMs, long finishedAtMs)
        implements CborSerializable {

    /** A job that has not been accepted. */
    public static final JobState EMPTY = new JobState(null, JobStatus.Phase.UNKNOWN, null, HashTreePMap.empty(),
            HashTreePMap.empty(), 0, 0, 0);

    /** The state after {@code event}; pure. */
    public JobState apply(JobEvent event) {
        return switch (event) {
            case JobEvent.Accepted e -> {
                PMap<String, TaskSummary> all = HashTreePMap.empty();
                for (TaskSpec t : e.spec().tasks()) {
                    all = all.plus(t.id(), TaskSummary.PENDING);
                }
                yield new JobState(e.spec(), JobStatus.Phase.RUNNING, null, all, HashTreePMap.empty(),
                        e.spec().tasks().size(), e.atMs(), 0);
            }
            case JobEvent.TaskReleased e -> withTask(e.taskId(), tasks.get(e.taskId()).withState(TaskSummary.TaskState.RELEASED));
            case JobEvent.TaskRunning e -> withTask(e.taskId(), e.summary());
            case JobEvent.TaskSucceeded e -> new JobState(spec, phase, reason, tasks.plus(e.taskId(), e.summary()),
                    outputs.plus(e.taskId(), e.output()), unfinished - 1, acceptedAtMs, finishedAtMs);
            case JobEvent.TaskFailed e -> withTask(e.taskId(), e.summary());
            case JobEvent.Succeeded e -> new JobState(spec, JobStatus.Phase.SUCCEEDED, null, tasks, outputs, unfinished,
                    acceptedAtMs, e.atMs());
            case JobEvent.Failed e -> new JobState(spec, JobStatus.Phase.FAILED, e.reason(), cancelUnfinished(), outputs,
                    unfinished, acceptedAtMs, e.atMs());
        };
    }

    /** Whether the job has ended. */
    public boolean finished() {
        return phase == JobStatus.Phase.SUCCEEDED || phase == JobStatus.Phase.FAILED;
    }

    /** The status as reported to clients. */
    public JobStatus status(String jobId) {
        return new JobStatus(jobId, phase, reason, new LinkedHashMap<>(tasks), acceptedAtMs, finishedAtMs);
    }

    /** The result of a finished job. */
    public JobResult result() {
        JobResult.Outcome o = phase == JobStatus.Phase.SUCCEEDED ? JobResult.Outcome.SUCCEEDED : JobResult.Outcome.FAILED;
        return new JobResult(spec.id(), o, reason, Map.copyOf(outputs), Map.copyOf(tasks), acceptedAtMs, finishedAtMs);
    }

    private JobState withTask(String taskId, TaskSummary s) {
        return new JobState(spec, phase, reason, tasks.plus(taskId, s), outputs, unfinished, acceptedAtMs, finishedAtMs);
    }

    private PMap<String, TaskSummary> cancelUnfinished() {
        PMap<String, TaskSummary> t = tasks;
        for (var e : tasks.entrySet()) {
            var s = e.getValue().state();
            if (s == TaskSummary.TaskState.PENDING || s == TaskSummary.TaskState.RELEASED
                    || s == TaskSummary.TaskState.RUNNING) {
                t = t.plus(e.getKey(), e.getValue().withState(TaskSummary.TaskState.CANCELLED));
            }
        }
        return t;
    }
}
