package dev.colony.actors.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pcollections.PMap;
import org.pcollections.PVector;
import org.pcollections.TreePVector;

/**
 * A job entity's durable state (and its snapshot): immutable, changed only by
 * {@link #apply(JobEvent)}. Task maps are persistent (structure-sharing) maps, so each event costs
 * O(log n), not a copy of the job.
 */
public final class JobState implements CborSerializable {

    /** A job that has not been accepted. */
    public static final JobState EMPTY = new JobState(null, JobStatus.Phase.UNKNOWN, null, ChampMap.empty(),
            ChampMap.empty(), ChampMap.empty(), 0, 0, 0, 0, null, Graph.NONE);

    private final JobSpec spec;
    private final JobStatus.Phase phase;
    private final String reason;
    private final PMap<String, TaskSummary> tasks;
    private final PMap<String, TaskOutput> outputs;
    private final PMap<String, Integer> lastAttempts; // task id → highest attempt number handed out
    private final int unfinished;
    private final long acceptedAtMs;
    private final long finishedAtMs;
    private final long policyVersion;
    private final String submission; // which submission was accepted: it may be sent again
    private final Graph graph; // derived from spec, shared between states
    @JsonIgnore
    private final PVector<TaskSpec> added; // before Accepted: the tasks of TasksAdded events

    private JobState(JobSpec spec, JobStatus.Phase phase, String reason, PMap<String, TaskSummary> tasks,
                     PMap<String, TaskOutput> outputs, PMap<String, Integer> lastAttempts, int unfinished,
                     long acceptedAtMs, long finishedAtMs, long policyVersion, String submission, Graph graph) {
        this(spec, phase, reason, tasks, outputs, lastAttempts, unfinished, acceptedAtMs, finishedAtMs, policyVersion,
                submission, graph, TreePVector.empty());
    }

    private JobState(JobSpec spec, JobStatus.Phase phase, String reason, PMap<String, TaskSummary> tasks,
                     PMap<String, TaskOutput> outputs, PMap<String, Integer> lastAttempts, int unfinished,
                     long acceptedAtMs, long finishedAtMs, long policyVersion, String submission, Graph graph,
                     PVector<TaskSpec> added) {
        this.added = added;
        this.spec = spec;
        this.phase = phase;
        this.reason = reason;
        this.tasks = tasks;
        this.outputs = outputs;
        this.lastAttempts = lastAttempts;
        this.unfinished = unfinished;
        this.acceptedAtMs = acceptedAtMs;
        this.finishedAtMs = finishedAtMs;
        this.policyVersion = policyVersion;
        this.submission = submission;
        this.graph = graph;
    }

    /** Reads a snapshot. */
    @JsonCreator
    static JobState fromSnapshot(@JsonProperty("spec") JobSpec spec, @JsonProperty("phase") JobStatus.Phase phase,
                                 @JsonProperty("reason") String reason,
                                 @JsonProperty("tasks") Map<String, TaskSummary> tasks,
                                 @JsonProperty("outputs") Map<String, TaskOutput> outputs,
                                 @JsonProperty("lastAttempts") Map<String, Integer> lastAttempts,
                                 @JsonProperty("unfinished") int unfinished,
                                 @JsonProperty("acceptedAtMs") long acceptedAtMs,
                                 @JsonProperty("finishedAtMs") long finishedAtMs,
                                 @JsonProperty("policyVersion") long policyVersion,
                                 @JsonProperty("submission") String submission) {
        return new JobState(spec, phase, reason, ChampMap.from(tasks), ChampMap.from(outputs),
                lastAttempts == null ? ChampMap.empty() : ChampMap.from(lastAttempts), unfinished, acceptedAtMs,
                finishedAtMs, policyVersion, submission, Graph.of(spec));
    }

    /** The state after {@code event}; pure. */
    public JobState apply(JobEvent event) {
        return switch (event) {
            case JobEvent.TasksAdded e -> new JobState(spec, phase, reason, tasks, outputs, lastAttempts, unfinished,
                    acceptedAtMs, finishedAtMs, policyVersion, submission, graph, added.plusAll(e.tasks()));
            case JobEvent.Accepted a -> {
                JobEvent.Accepted e = added.isEmpty() ? a : new JobEvent.Accepted(a.spec().withTasks(
                        added.plusAll(a.spec().tasks())), a.atMs(), a.policyVersion(), a.submission());
                PMap<String, TaskSummary> all = ChampMap.empty();
                PMap<String, Integer> numbers = ChampMap.empty();
                for (TaskSpec t : e.spec().tasks()) {
                    all = all.plus(t.id(), t.parents().isEmpty() ? RELEASED : TaskSummary.PENDING);
                    if (t.parents().isEmpty()) {
                        numbers = numbers.plus(t.id(), 1); // released: attempt 1 is theirs
                    }
                }
                yield new JobState(e.spec(), JobStatus.Phase.RUNNING, null, all, ChampMap.empty(),
                        numbers, e.spec().tasks().size(), e.atMs(), 0, e.policyVersion(), e.submission(), Graph.of(e.spec()));
            }
            case JobEvent.TaskSucceeded e -> {
                PMap<String, TaskSummary> t = tasks.plus(e.taskId(), e.summary());
                PMap<String, TaskOutput> o = outputs.plus(e.taskId(), e.output());
                PMap<String, Integer> n = numbered(lastAttempts, e.taskId(), e.attempt());
                for (String child : children(e.taskId())) {
                    if (t.get(child).state() == TaskSummary.TaskState.PENDING && parentsSucceeded(child, t)) {
                        t = t.plus(child, t.get(child).withState(TaskSummary.TaskState.RELEASED)); // keeps its reruns
                        n = reserve(n, child);
                    }
                }
                yield new JobState(spec, phase, reason, t, o, n, unfinished - 1, acceptedAtMs, finishedAtMs,
                        policyVersion, submission, graph);
            }
            case JobEvent.AttemptStarted e -> withTask(e.taskId(), s -> new TaskSummary(TaskSummary.TaskState.RUNNING,
                    e.node(), s.attempts() + 1, e.queueWaitMs(), 0, e.policy(), s.error(), s.reruns(), e.atMs()),
                    numbered(lastAttempts, e.taskId(), e.attempt()));
            case JobEvent.AttemptEnded e -> withTask(e.taskId(), s -> {
                boolean started = s.state() == TaskSummary.TaskState.RUNNING; // its AttemptStarted is journalled
                int attempts = s.attempts() + (e.counts() ? (started ? 0 : 1) : (started ? -1 : 0));
                return new TaskSummary(TaskSummary.TaskState.RELEASED, e.node(), attempts, s.queueWaitMs(), e.runMs(),
                        s.policy(), e.reason(), s.reruns(), s.startedAtMs());
            }, lastAttempts);
            case JobEvent.AttemptReserved e -> withTask(e.taskId(), s -> s.state() == TaskSummary.TaskState.RUNNING
                    ? new TaskSummary(TaskSummary.TaskState.RELEASED, s.node(), s.attempts() - 1, s.queueWaitMs(),
                    s.runMs(), s.policy(), "attempt " + lastAttempt(e.taskId()) + " was interrupted", s.reruns(),
                    s.startedAtMs()) : s, numbered(lastAttempts, e.taskId(), e.attempt()));
            case JobEvent.OutputsLost e -> outputsLost(e);
            case JobEvent.TaskFailed e -> new JobState(spec, phase, reason, tasks.plus(e.taskId(), e.summary()),
                    outputs, lastAttempts, unfinished, acceptedAtMs, finishedAtMs, policyVersion, submission, graph);
            case JobEvent.Succeeded e -> new JobState(spec, JobStatus.Phase.SUCCEEDED, null, tasks, outputs,
                    lastAttempts, unfinished, acceptedAtMs, e.atMs(), policyVersion, submission, graph);
            case JobEvent.Failed e -> new JobState(spec, JobStatus.Phase.FAILED, e.reason(), cancelUnfinished(),
                    outputs, lastAttempts, unfinished, acceptedAtMs, e.atMs(), policyVersion, submission, graph);
            case JobEvent.Batch b -> {
                JobState s = this;
                for (JobEvent e : b.events()) {
                    s = s.apply(e); // one level: a batch holds no batch
                }
                yield s;
            }
        };
    }

    /** The state with in-flight task {@code taskId}'s summary changed by {@code change}; else unchanged. */
    private JobState withTask(String taskId, java.util.function.UnaryOperator<TaskSummary> change,
                              PMap<String, Integer> attempts) {
        if (!inFlight(taskId)) {
            return this;
        }
        return new JobState(spec, phase, reason, tasks.plus(taskId, change.apply(tasks.get(taskId))), outputs, attempts,
                unfinished, acceptedAtMs, finishedAtMs, policyVersion, submission, graph);
    }

    /** {@code numbers} with {@code attempt} of {@code taskId} handed out. */
    private static PMap<String, Integer> numbered(PMap<String, Integer> numbers, String taskId, int attempt) {
        return attempt > numbers.getOrDefault(taskId, 0) ? numbers.plus(taskId, attempt) : numbers;
    }

    /** {@code numbers} with the next attempt number of {@code taskId} handed out (a release reserves one). */
    private static PMap<String, Integer> reserve(PMap<String, Integer> numbers, String taskId) {
        return numbers.plus(taskId, numbers.getOrDefault(taskId, 0) + 1);
    }

    private static final TaskSummary RELEASED = TaskSummary.PENDING.withState(TaskSummary.TaskState.RELEASED);

    /** The validated spec; null before acceptance. */
    @JsonProperty
    public JobSpec spec() {
        return spec;
    }

    /** Unknown, Running, Succeeded or Failed. */
    @JsonProperty
    public JobStatus.Phase phase() {
        return phase;
    }

    /** Why the job failed, or null. */
    @JsonProperty
    public String reason() {
        return reason;
    }

    /** Task id → summary. */
    @JsonProperty
    public Map<String, TaskSummary> tasks() {
        return tasks;
    }

    /** Task id → output, for tasks that succeeded. */
    @JsonProperty
    public Map<String, TaskOutput> outputs() {
        return outputs;
    }

    /** Task id → the highest attempt number handed out to it (absent: none yet). */
    @JsonProperty
    public Map<String, Integer> lastAttempts() {
        return lastAttempts;
    }

    /**
     * The highest attempt number handed out to task {@code taskId} (0: none; jobs journalled by an
     * older version): reserved by the task's release or by {@link JobEvent.AttemptReserved}, used
     * by at most one attempt.
     */
    public int lastAttempt(String taskId) {
        return lastAttempts.getOrDefault(taskId, 0);
    }

    /** How many tasks the job has (0 before it is accepted). */
    public int taskCount() {
        return spec == null ? 0 : spec.tasks().size();
    }

    /** Tasks not yet succeeded. */
    @JsonProperty
    public int unfinished() {
        return unfinished;
    }

    /** When the job was accepted (epoch ms). */
    @JsonProperty
    public long acceptedAtMs() {
        return acceptedAtMs;
    }

    /** When it ended (epoch ms), 0 while running. */
    @JsonProperty
    public long finishedAtMs() {
        return finishedAtMs;
    }

    /** Version of the placement policy the job was assigned (0: the configured built-in one). */
    @JsonProperty
    public long policyVersion() {
        return policyVersion;
    }

    /** The submission that was accepted (null in jobs journalled before submissions were named). */
    @JsonProperty
    public String submission() {
        return submission;
    }

    /** Tasks that depend on {@code taskId}. */
    public List<String> children(String taskId) {
        return graph.children().getOrDefault(taskId, List.of());
    }

    /** Whether the job has ended. */
    public boolean finished() {
        return phase == JobStatus.Phase.SUCCEEDED || phase == JobStatus.Phase.FAILED;
    }

    /** Whether task {@code taskId} was released and has not ended, in a job that has not ended. */
    public boolean inFlight(String taskId) {
        return inFlight(taskId, tasks);
    }

    private boolean inFlight(String taskId, PMap<String, TaskSummary> t) {
        TaskSummary s = t.get(taskId);
        return !finished() && s != null
                && (s.state() == TaskSummary.TaskState.RELEASED || s.state() == TaskSummary.TaskState.RUNNING);
    }

    /** Tasks released and not ended, in a job that has not ended. */
    public List<String> inFlightTasks() {
        return tasks.keySet().stream().filter(this::inFlight).toList();
    }

    /** The result of a finished job; stored outputs travel as references, for the client to read. */
    public JobResult result() {
        JobResult.Outcome o = phase == JobStatus.Phase.SUCCEEDED ? JobResult.Outcome.SUCCEEDED : JobResult.Outcome.FAILED;
        Map<String, JsonNode> inline = new HashMap<>();
        Map<String, OutputRef> stored = new HashMap<>();
        outputs.forEach((id, out) -> {
            if (out.isStored()) {
                stored.put(id, out.ref());
            } else {
                inline.put(id, out.value());
            }
        });
        return new JobResult(spec.id(), o, reason, inline, stored, Map.copyOf(tasks), acceptedAtMs, finishedAtMs);
    }

    /** The spec of task {@code taskId}. */
    public TaskSpec task(String taskId) {
        return graph.specs().get(taskId);
    }

    /**
     * What task {@code taskId} is to run now: its spec, its parents' outputs, which run of it, and
     * what the journal says of its attempts (a task entity keeps nothing of its own). Sent
     * {@code fresh} (once, right after the event that released the task), it hands the task the
     * attempt number its release reserved; sent again, it does not (the number may be in use by an
     * incarnation that went away: a new one asks for another).
     */
    public Task.Execute execute(String taskId, boolean fresh) {
        TaskSpec t = task(taskId);
        Map<String, TaskOutput> inputs = new LinkedHashMap<>();
        t.inputs().forEach((name, producer) -> inputs.put(name, outputs.get(producer)));
        TaskSummary s = tasks.get(taskId);
        return new Task.Execute(spec.id(), t, inputs, spec.priority(), policyVersion, s.reruns(), lastAttempt(taskId),
                fresh && lastAttempt(taskId) > 0, s);
    }

    /**
     * The lost producers released to run again (or waiting, when one of their own inputs is being
     * made again), and every released task that reads one of them (the one that found them lost
     * among them) back to waiting for them. Such a task may go on
     * with what it already read: released again, it reports its outcome, or goes on running.
     */
    private JobState outputsLost(JobEvent.OutputsLost e) {
        PMap<String, TaskSummary> t = tasks;
        PMap<String, TaskOutput> o = outputs;
        PMap<String, Integer> n = lastAttempts;
        int u = unfinished;
        List<String> waiting = new ArrayList<>(List.of(e.taskId()));
        for (String p : e.producers()) {
            if (t.get(p).state() == TaskSummary.TaskState.SUCCEEDED) {
                t = t.plus(p, t.get(p).rerun(e.reason()));
                o = o.minus(p);
                n = reserve(n, p); // released to run again
                u++;
                waiting.add(p);
                waiting.addAll(children(p));
            }
        }
        for (String c : waiting) { // a producer run again may itself wait: its own input may be made again
            if (inFlight(c, t) && !parentsSucceeded(c, t)) {
                t = t.plus(c, t.get(c).withState(TaskSummary.TaskState.PENDING));
            }
        }
        return new JobState(spec, phase, reason, t, o, n, u, acceptedAtMs, finishedAtMs, policyVersion,
                submission, graph);
    }

    private boolean parentsSucceeded(String taskId, PMap<String, TaskSummary> t) {
        for (String p : graph.specs().get(taskId).parents()) {
            if (t.get(p).state() != TaskSummary.TaskState.SUCCEEDED) {
                return false;
            }
        }
        return true;
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

    /** The DAG's index: task id → spec and task id → children. */
    private record Graph(Map<String, TaskSpec> specs, Map<String, List<String>> children) {

        static final Graph NONE = new Graph(Map.of(), Map.of());

        static Graph of(JobSpec spec) {
            if (spec == null) {
                return NONE;
            }
            Map<String, TaskSpec> specs = new HashMap<>();
            Map<String, List<String>> children = new HashMap<>();
            for (TaskSpec t : spec.tasks()) {
                specs.put(t.id(), t);
                for (String p : t.parents()) {
                    children.computeIfAbsent(p, k -> new ArrayList<>()).add(t.id());
                }
            }
            return new Graph(specs, children);
        }
    }
}
