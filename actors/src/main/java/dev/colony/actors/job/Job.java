package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.task.Task;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One job (sharded entity, id = job id): keeps the DAG's bookkeeping, releases each task to its
 * {@link Task} entity once all its parents succeeded (with their outputs as inputs), and ends the
 * job Succeeded when every task has, or Failed with the first task that failed for good, cancelling
 * the rest. Replies the {@link JobResult} to everyone watching.
 */
public final class Job extends AbstractOnMessageBehavior<Job.Command> {

    /** Sharding key of job entities. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColonyJob");

    /** What a job understands. */
    public sealed interface Command extends CborSerializable {
    }

    /** Starts the job with a validated spec; {@code replyTo} gets its result. */
    public record Start(JobSpec spec, ActorRef<JobResult> replyTo) implements Command {
    }

    /** An attempt of task {@code taskId} started; {@code summary} names the node. */
    public record TaskRunning(String taskId, TaskSummary summary) implements Command {
    }

    /** Task {@code taskId} succeeded. */
    public record TaskSucceeded(String taskId, JsonNode output, TaskSummary summary) implements Command {
    }

    /** Task {@code taskId} failed for good. */
    public record TaskFailed(String taskId, String reason, TaskSummary summary) implements Command {
    }

    /** Asks for the job's status. */
    public record GetStatus(ActorRef<JobStatus> replyTo) implements Command {
    }

    /** Asks for the job's result, now if it has ended, else when it does. */
    public record Watch(ActorRef<JobResult> replyTo) implements Command {
    }

    /** Ends the job as Failed with {@code reason}, withdrawing its unfinished tasks. */
    public record Cancel(String reason) implements Command {
    }

    /**
     * Creates the job entity {@code jobId}; an entity for an unknown id asks {@code shard} to
     * passivate it after answering, so a submission racing with that answer is buffered, not lost.
     */
    public static Behavior<Command> create(String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                                           InstantSource clock, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> new Job(ctx, jobId, tasks, clock, shard));
    }

    private final String jobId;
    private final Function<String, RecipientRef<Task.Command>> tasks;
    private final InstantSource clock;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final List<ActorRef<JobResult>> watchers = new ArrayList<>();
    private JobState state = JobState.EMPTY;
    private Map<String, TaskSpec> specById = Map.of();
    private Map<String, List<String>> children = Map.of();

    private Job(ActorContext<Command> context, String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                InstantSource clock, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(context);
        this.shard = shard;
        this.jobId = jobId;
        this.tasks = tasks;
        this.clock = clock;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        try {
            return handle(msg);
        } catch (RuntimeException e) {
            // A bug here must still end the job with a reason, never strand its clients.
            getContext().getLog().error("job {} failed on {}", jobId, msg, e);
            return state.phase() == JobStatus.Phase.RUNNING ? failJob("internal error in job actor: " + e) : this;
        }
    }

    private Behavior<Command> handle(Command msg) {
        return switch (msg) {
            case Start m -> onStart(m);
            case TaskRunning m -> onTaskRunning(m);
            case TaskSucceeded m -> onTaskSucceeded(m);
            case TaskFailed m -> onTaskFailed(m);
            case GetStatus m -> onGetStatus(m);
            case Watch m -> onWatch(m);
            case Cancel m -> onCancel(m);
        };
    }

    @Override
    public Behavior<Command> onSignal(Signal signal) {
        // Sharding stops entities with PoisonPill at hand-off and shutdown: left unhandled, it stops.
        return Behaviors.unhandled();
    }

    private Behavior<Command> onStart(Start m) {
        if (state.phase() != JobStatus.Phase.UNKNOWN) {
            m.replyTo().tell(JobResult.rejected(jobId, "job id '" + jobId + "' is already in use (its job is "
                    + state.phase().name().toLowerCase(java.util.Locale.ROOT) + ")", clock.millis()));
            return this;
        }
        apply(new JobEvent.Accepted(m.spec(), clock.millis()));
        watchers.add(m.replyTo());
        index(m.spec());
        for (TaskSpec t : m.spec().tasks()) {
            if (t.parents().isEmpty()) {
                release(t);
            }
        }
        return this;
    }

    private Behavior<Command> onTaskRunning(TaskRunning m) {
        if (inFlight(m.taskId())) {
            apply(new JobEvent.TaskRunning(m.taskId(), m.summary()));
        }
        return this;
    }

    private Behavior<Command> onTaskSucceeded(TaskSucceeded m) {
        if (!inFlight(m.taskId())) {
            return this; // a duplicate or a report after the job ended
        }
        apply(new JobEvent.TaskSucceeded(m.taskId(), m.output(), m.summary()));
        if (state.unfinished() == 0) {
            apply(new JobEvent.Succeeded(clock.millis()));
            return finish();
        }
        for (String child : children.getOrDefault(m.taskId(), List.of())) {
            TaskSpec c = specById.get(child);
            if (state.tasks().get(child).state() == TaskSummary.TaskState.PENDING && parentsSucceeded(c)) {
                release(c);
            }
        }
        return this;
    }

    private Behavior<Command> onTaskFailed(TaskFailed m) {
        if (!inFlight(m.taskId())) {
            return this;
        }
        apply(new JobEvent.TaskFailed(m.taskId(), m.summary()));
        return failJob("task '" + m.taskId() + "' " + m.reason());
    }

    private Behavior<Command> onGetStatus(GetStatus m) {
        m.replyTo().tell(state.status(jobId));
        return state.phase() == JobStatus.Phase.UNKNOWN ? passivate() : this;
    }

    private Behavior<Command> onWatch(Watch m) {
        if (state.phase() == JobStatus.Phase.UNKNOWN) {
            m.replyTo().tell(JobResult.rejected(jobId, "no job with id '" + jobId + "'", clock.millis()));
            return passivate();
        }
        if (state.finished()) {
            m.replyTo().tell(state.result());
        } else {
            watchers.add(m.replyTo());
        }
        return this;
    }

    private Behavior<Command> onCancel(Cancel m) {
        if (state.phase() != JobStatus.Phase.RUNNING) {
            return state.phase() == JobStatus.Phase.UNKNOWN ? passivate() : this;
        }
        return failJob("cancelled: " + m.reason());
    }

    private Behavior<Command> failJob(String reason) {
        List<String> released = new ArrayList<>();
        state.tasks().forEach((id, s) -> {
            if (s.state() == TaskSummary.TaskState.RELEASED || s.state() == TaskSummary.TaskState.RUNNING) {
                released.add(id);
            }
        });
        apply(new JobEvent.Failed(reason, clock.millis()));
        for (String id : released) {
            tasks.apply(Task.entityId(jobId, id)).tell(new Task.CancelTask("job '" + jobId + "' failed"));
        }
        return finish();
    }

    private Behavior<Command> finish() {
        JobResult result = state.result();
        watchers.forEach(w -> w.tell(result));
        watchers.clear();
        getContext().getLog().debug("job {} {} in {} ms", jobId, result.outcome(), result.elapsedMs());
        return this;
    }

    private Behavior<Command> passivate() {
        shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        return this;
    }

    private void release(TaskSpec t) {
        Map<String, JsonNode> inputs = new LinkedHashMap<>();
        t.inputs().forEach((name, producer) -> inputs.put(name, state.outputs().get(producer)));
        apply(new JobEvent.TaskReleased(t.id()));
        tasks.apply(Task.entityId(jobId, t.id())).tell(new Task.Execute(jobId, t, inputs, state.spec().priority()));
    }

    /** Whether task {@code taskId} was released and has not ended, in a job that has not ended. */
    private boolean inFlight(String taskId) {
        TaskSummary s = state.tasks().get(taskId);
        return !state.finished() && s != null
                && (s.state() == TaskSummary.TaskState.RELEASED || s.state() == TaskSummary.TaskState.RUNNING);
    }

    private boolean parentsSucceeded(TaskSpec t) {
        for (String p : t.parents()) {
            if (state.tasks().get(p).state() != TaskSummary.TaskState.SUCCEEDED) {
                return false;
            }
        }
        return true;
    }

    private void index(JobSpec spec) {
        specById = new HashMap<>();
        children = new HashMap<>();
        for (TaskSpec t : spec.tasks()) {
            specById.put(t.id(), t);
            for (String p : t.parents()) {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(t.id());
            }
        }
    }

    private void apply(JobEvent event) {
        state = state.apply(event);
    }
}
