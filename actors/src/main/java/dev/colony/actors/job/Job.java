package dev.colony.actors.job;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.JournalGuard;
import dev.colony.actors.Traffic;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * One job (sharded, event-sourced entity, id = job id): keeps the DAG's bookkeeping, releases each
 * task to its {@link Task} entity once all its parents succeeded (with their outputs as inputs),
 * and ends the job Succeeded when every task has, or Failed with the first task that failed for
 * good, cancelling the rest. Replies the {@link JobResult} to everyone watching.
 *
 * <p>Journalled: {@link JobEvent}s, with a snapshot every {@link JobSettings#snapshotEvery()} events
 * (or every as many as the job has tasks, if more); a large spec in chunks ({@link JobEvent#accepted}). The
 * job is the unit of durability: its tasks' attempts and outcomes are its events, written in one
 * batch per {@link ReportInbox} delivery; task entities journal nothing. After a restart a running
 * job sends its released, unfinished tasks their {@code Execute} again, with what the journal says
 * of them: a live task goes on (a finished one reports its outcome again, applied once: a report
 * for a task that is not in flight is ignored); a new incarnation withdraws an attempt the journal
 * says was running and starts the next. If its journal cannot be read, the job answers Failed,
 * naming its persistence id, and other jobs are not affected.
 *
 * <p>Lineage: a task that cannot read an input because its producer can no longer serve it (the
 * node holding it died) reports {@link InputsLost}; the job journals {@link JobEvent.OutputsLost},
 * runs the producers again (a producer's inputs lost too are found the same way, one level up),
 * then the task, at most {@link JobSettings#maxOutputReruns()} times per producer.
 */
public final class Job extends EventSourcedBehaviorWithEnforcedReplies<Job.Command, JobEvent, JobState> {

    /** Sharding key of job entities. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColonyJob");

    /** What a job understands. */
    public sealed interface Command extends CborSerializable {
    }

    /**
     * Starts the job with a validated spec; {@code replyTo} gets its result.
     *
     * @param policyVersion the placement policy version its tasks use (see {@code PolicyBoard#assign})
     * @param submission    names the submission: its manager sends it again until the result comes
     *                      back, and a Start of the accepted submission watches the job
     * @param admitted      told the {@link JobAdmission} once the acceptance is journalled (or why
     *                      not: then {@code replyTo} hears nothing); null to tell {@code replyTo} a
     *                      rejection
     * @param parts         0: {@code spec} holds every task; else the tasks follow in this many
     *                      {@link StartPart}s (a spec too large for one message between members)
     *                      and {@code spec} holds none
     */
    public record Start(JobSpec spec, ActorRef<JobResult> replyTo, long policyVersion, String submission,
                        ActorRef<JobAdmission> admitted, int parts) implements Command {

        /** A Start that carries every task. */
        public Start(JobSpec spec, ActorRef<JobResult> replyTo, long policyVersion, String submission,
                     ActorRef<JobAdmission> admitted) {
            this(spec, replyTo, policyVersion, submission, admitted, 0);
        }

        /** A Start whose rejection, if any, goes to {@code replyTo}. */
        public Start(JobSpec spec, ActorRef<JobResult> replyTo, long policyVersion, String submission) {
            this(spec, replyTo, policyVersion, submission, null);
        }

        /** This Start carrying {@code tasks}, all of them. */
        public Start whole(List<TaskSpec> tasks) {
            return new Start(spec.withTasks(tasks), replyTo, policyVersion, submission, admitted, 0);
        }
    }

    /**
     * Part {@code index} (from 0) of the tasks of the Start of submission {@code submission}: the
     * job is accepted once its Start and every part have arrived, in any order.
     */
    public record StartPart(String submission, int index, List<TaskSpec> tasks) implements Command {
    }

    /**
     * Attempt {@code attempt} of run {@code reruns} of task {@code taskId} runs on {@code node} (its
     * number was handed out before: the job journals this with its next batch, needing no answer).
     */
    public record AttemptRunning(String taskId, int reruns, int attempt, String node, long queueWaitMs, String policy,
                                 long atMs) implements Command {
    }

    /**
     * Attempt {@code attempt} of run {@code reruns} of task {@code taskId} ended without an output:
     * the job journals it with the next attempt number, which it then tells {@code replyTo}
     * ({@link Task.AttemptReserved}).
     */
    public record AttemptEnded(String taskId, int reruns, int attempt, String node, String reason, long runMs,
                               boolean counts, ActorRef<Task.Command> replyTo) implements Command {
    }

    /**
     * A task incarnation with no attempt number of its own (its work came again, not fresh) asks
     * for one: the job journals the next and tells {@code replyTo} ({@link Task.AttemptReserved}).
     */
    public record ReserveAttempt(String taskId, int reruns, ActorRef<Task.Command> replyTo) implements Command {
    }

    /**
     * Attempt {@code attempt} of task {@code taskId} succeeded; its node keeps {@code lease} (null:
     * none) for another of the job's tasks.
     */
    public record TaskSucceeded(String taskId, int attempt, TaskOutput output, TaskSummary summary, HandedLease lease)
            implements Command {

        /** A success whose lease is not handed on. */
        public TaskSucceeded(String taskId, int attempt, TaskOutput output, TaskSummary summary) {
            this(taskId, attempt, output, summary, null);
        }
    }

    /** Task {@code taskId} failed for good. */
    public record TaskFailed(String taskId, String reason, TaskSummary summary) implements Command {
    }

    /**
     * An attempt of task {@code taskId} (run {@code reruns}) could not read the outputs in
     * {@code lost} (producer task id → output key): their producers run again, then the task.
     */
    public record InputsLost(String taskId, int reruns, Map<String, String> lost, String reason) implements Command {
    }

    /**
     * Asks for the job's status; when {@code withoutTasks}, its task counts, not each task (a small
     * answer). The full form of a large job may not fit a message between members: page it ({@link GetTasks}).
     */
    public record GetStatus(ActorRef<JobStatus> replyTo, boolean withoutTasks) implements Command {
    }

    /**
     * Asks for page {@code page} (from 0) of {@code size} tasks in {@code state} (null: all), in the
     * order of the job's spec: a {@link JobStatus} with that page (page 0 with the counts of every state).
     */
    public record GetTasks(TaskSummary.TaskState state, int page, int size, ActorRef<JobStatus> replyTo)
            implements Command {

        /** Most tasks one page may hold. */
        public static final int MOST = 1_000;

        /** Checks the page, naming the limit. */
        public GetTasks {
            if (page < 0 || size < 1 || size > MOST) {
                throw new IllegalArgumentException("page = " + page + " and size = " + size + ": the page must be 0 "
                        + "or more and the size from 1 to " + MOST);
            }
        }
    }

    /**
     * Asks for the job's result, now if it has ended, else when it does. A job that does not exist
     * answers Rejected, or nothing when {@code quietIfUnknown} (a client watching again: its job
     * may not have started yet).
     */
    public record Watch(ActorRef<JobResult> replyTo, boolean quietIfUnknown) implements Command {
    }

    /** Ends the job as Failed with {@code reason}, withdrawing its unfinished tasks. */
    public record Cancel(String reason) implements Command {
    }

    /** A node's report on an attempt the job ran itself ({@link DirectRuns}), through the job's adapter. */
    record NodeReported(NodeReply reply) implements Command, NoSerializationVerificationNeeded {
    }

    /** A node that ran attempts of the job's own is gone. */
    private record NodeGone(ActorRef<Node.Command> node) implements Command, NoSerializationVerificationNeeded {
    }

    /** Task {@code taskId} restarted without knowing what to run: send it {@code Execute} again. */
    public record Redeliver(String taskId) implements Command {
    }

    private enum Idle implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** This process's {@link Admission} lets the queued job send its tasks out. */
    private enum Admitted implements Command, NoSerializationVerificationNeeded { INSTANCE }

    private enum RedeliverTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** Time to journal the job's own runs that are still out as running ({@link DirectRuns#check}). */
    private enum RunsCheck implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** Retention deleted the ended job's events: it stops now, so that nothing answers about it from memory. */
    public enum Forget implements Command { INSTANCE }

    /** Sharding moves the job's shard away: the job stops, and restarts where the shard lands (it is remembered). */
    public enum HandOff implements Command { INSTANCE }

    /** Task reports handed over together by the job's {@link ReportInbox}. */
    record Reports(List<Command> items) implements Command, NoSerializationVerificationNeeded {
    }

    /** To the job's {@link ReportInbox}: the last batch is handled, send the next. */
    enum ReportsDone implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /**
     * Creates the job entity {@code jobId}; an entity for an unknown id, or a finished one that
     * stayed idle, asks {@code shard} to passivate it, so a message racing with that is buffered,
     * not lost. A {@code Start} or {@code Watch} that still reaches it after that goes back through
     * {@code viaShard} (the entity's sharded address): the next incarnation takes it, so no client
     * is registered with an incarnation that is about to stop.
     */
    public static Behavior<Command> create(String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                                           RecipientRef<Command> viaShard, InstantSource clock, JobSettings settings,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        return create(jobId, tasks, viaShard, clock, settings, JobReporter.NONE, shard);
    }

    /** Creates the job entity {@code jobId}, which tells {@code reporter} when it ends; its tasks all go out at once. */
    public static Behavior<Command> create(String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                                           RecipientRef<Command> viaShard, InstantSource clock, JobSettings settings,
                                           JobReporter reporter, ActorRef<ClusterSharding.ShardCommand> shard) {
        return create(jobId, tasks, viaShard, clock, settings, reporter, () -> Integer.MAX_VALUE, shard);
    }

    /**
     * Creates the job entity {@code jobId}, which tells {@code reporter} when it ends and has at
     * most {@code window} tasks out (negotiating or running) at once: the others wait for a slot,
     * or for a lease a node hands on after one of the job's tasks succeeded.
     */
    public static Behavior<Command> create(String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                                           RecipientRef<Command> viaShard, InstantSource clock, JobSettings settings,
                                           JobReporter reporter, IntSupplier window,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        return create(jobId, tasks, viaShard, clock, settings, reporter, window, Admission.UNLIMITED, shard);
    }

    /**
     * Creates the job entity {@code jobId} as above, which waits QUEUED until {@code admission} (its
     * process's) lets it run, and then has at most its share of the process's budget out.
     */
    public static Behavior<Command> create(String jobId, Function<String, RecipientRef<Task.Command>> tasks,
                                           RecipientRef<Command> viaShard, InstantSource clock, JobSettings settings,
                                           JobReporter reporter, IntSupplier window, Admission admission,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        PersistenceId pid = PersistenceId.of(TYPE_KEY.name(), jobId);
        return JournalGuard.guard(pid, Command.class, guard -> {
            ReportInbox inbox = new ReportInbox();
            return ReportInbox.around(inbox, Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> new Job(ctx,
                    timers, pid, guard, jobId, tasks, viaShard, clock, settings, reporter, window, admission, inbox,
                    shard))));
        }, cause -> UnreadableJob.create(jobId, pid, cause, clock));
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final JournalGuard guard;
    private final String jobId;
    private final JobTasks work;
    private final RecipientRef<Command> viaShard;
    private final InstantSource clock;
    private final JobSettings settings;
    private final JobReporter reporter;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final Set<ActorRef<JobResult>> watchers = new LinkedHashSet<>();
    private final Admission admission;
    private boolean queued; // accepted, waiting for its process's admission before its tasks go out
    private Start starting; // the Start whose Accepted is being written
    private boolean passivating; // asked the shard to stop this incarnation
    private final StartUploads uploads = new StartUploads(); // Starts whose parts are still arriving

    private Job(ActorContext<Command> context, TimerScheduler<Command> timers, PersistenceId pid, JournalGuard guard,
                String jobId, Function<String, RecipientRef<Task.Command>> tasks, RecipientRef<Command> viaShard,
                InstantSource clock, JobSettings settings, JobReporter reporter, IntSupplier window, Admission admission,
                ReportInbox inbox, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(pid, JournalGuard.RESTART_AFTER_JOURNAL_FAILURE);
        this.context = context;
        this.guard = guard;
        this.timers = timers;
        this.jobId = jobId;
        DirectRuns direct = new DirectRuns(jobId, tasks, context.messageAdapter(NodeReply.class, NodeReported::new),
                context.getSelf()::tell, node -> context.watchWith(node, new NodeGone(node)), clock, timers,
                RunsCheck.INSTANCE);
        this.work = new JobTasks(jobId, tasks, timers, RedeliverTick.INSTANCE,
                Duration.ofMillis(settings.redeliverEveryMs()),
                () -> queued ? 0 : Math.max(1, Math.min(window.getAsInt(), admission.share(jobId))), direct);
        this.admission = admission;
        inbox.onArrival(work::onArrival); // a lease handed on goes to a held task at once, not after a write
        this.viaShard = viaShard;
        this.clock = clock;
        this.settings = settings;
        this.reporter = reporter;
        this.shard = shard;
        reporter.loaded(jobId);
    }

    @Override
    public JobState emptyState() {
        return JobState.EMPTY;
    }

    @Override
    public EventHandler<JobState, JobEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(JobState::apply);
    }

    /**
     * A snapshot every {@code snapshotEvery} events, or every as many events as the job has tasks
     * if that is more: a snapshot holds every task, so a large job's snapshots cost O(1) per event.
     * (Akka's retention criteria take one interval for all jobs.)
     */
    @Override
    public boolean shouldSnapshot(JobState state, JobEvent event, long sequenceNr) {
        return settings.snapshotEvery() > 0 && state.phase() != JobStatus.Phase.UNKNOWN // not amid a spec's chunks
                && sequenceNr % Math.max(settings.snapshotEvery(), state.taskCount()) == 0;
    }

    @Override
    public SignalHandler<JobState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(RecoveryFailed.class, (state, failed) -> guard.recoveryFailed(failed.getFailure()))
                .onSignal(PostStop.instance(), state -> { // passivated, handed off, stopped
                    admission.leave(jobId);
                    reporter.unloaded(jobId);
                })
                .build();
    }

    private void onRecovered(JobState state) {
        guard.recoveryCompleted();
        reportsDone(); // open the inbox
        if (starting != null) { // restarted after writing Accepted failed: try again, or it was written
            if (state.phase() == JobStatus.Phase.UNKNOWN) {
                context.getSelf().tell(starting);
            } else {
                watchers.add(starting.replyTo());
                JobAdmission.accepted(starting);
            }
            starting = null;
        }
        if (state.phase() == JobStatus.Phase.RUNNING) {
            work.redeliverPeriodically();
            work.releaseInFlight(state);
            admit(state);
        } else if (state.finished()) {
            timers.startSingleTimer(Idle.INSTANCE, Duration.ofMillis(settings.passivateFinishedAfterMs()));
        }
    }

    @Override
    public CommandHandlerWithReply<Command, JobEvent, JobState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::onCommand);
    }

    private ReplyEffect<JobEvent, JobState> onCommand(JobState state, Command msg) {
        try {
            return handle(state, msg);
        } catch (RuntimeException e) {
            // A bug here must still end the job with a reason, never strand its clients.
            context.getLog().error("job {} failed on {}", jobId, msg, e);
            return state.phase() == JobStatus.Phase.RUNNING
                    ? failJob(state, List.of(), "internal error in job actor: " + e).thenNoReply() : Effect().noReply();
        }
    }

    private ReplyEffect<JobEvent, JobState> handle(JobState state, Command msg) {
        work.seen(state);
        if (passivating && (msg instanceof Start || msg instanceof StartPart || msg instanceof Watch)) {
            viaShard.tell(msg); // this incarnation stops soon: the shard holds it for the next one
            return Effect().noReply();
        }
        return switch (msg) {
            case Start m -> m.parts() > 0 && state.phase() == JobStatus.Phase.UNKNOWN ? started(state, uploads.start(m))
                    : onStart(state, m);
            case StartPart m -> state.phase() == JobStatus.Phase.UNKNOWN ? started(state, uploads.part(m))
                    : Effect().noReply();
            case Reports m -> onReports(state, m.items());
            case AttemptRunning _, AttemptEnded _, ReserveAttempt _, TaskSucceeded _, TaskFailed _, Redeliver _,
                 InputsLost _, NodeReported _ ->
                    onReports(state, List.of(msg)); // the inbox batches all but InputsLost: those come as Reports
            case ReportsDone m -> Effect().noReply();
            case GetStatus m -> answer(state, m.replyTo(), m.withoutTasks() ? JobStatuses.progress(jobId, state)
                    : JobStatuses.whole(jobId, state));
            case GetTasks m -> answer(state, m.replyTo(), JobStatuses.page(jobId, state, m.state(), m.page(), m.size()));
            case Watch m -> onWatch(state, m);
            case Cancel m -> onCancel(state, m);
            case Idle m -> passivate();
            case Admitted m -> {
                queued = false;
                if (state.phase() == JobStatus.Phase.RUNNING) {
                    work.dispatch(state, List.of(), null);
                } else {
                    admission.leave(jobId);
                }
                yield Effect().noReply();
            }
            case NodeGone m -> {
                work.nodeGone(m.node());
                yield Effect().noReply();
            }
            case RunsCheck m -> {
                work.checkRuns();
                yield Effect().noReply();
            }
            case RedeliverTick m -> {
                work.onTick(state);
                yield Effect().noReply();
            }
            case HandOff m -> Effect().stop().thenNoReply();
            case Forget m -> passivate();
        };
    }

    /** Starts the job once its Start has all its parts ({@code whole} is not null). */
    private ReplyEffect<JobEvent, JobState> started(JobState state, Start whole) {
        return whole == null ? Effect().noReply() : onStart(state, whole);
    }

    private ReplyEffect<JobEvent, JobState> onStart(JobState state, Start m) {
        if (state.phase() != JobStatus.Phase.UNKNOWN) {
            if (m.submission() != null && m.submission().equals(state.submission())) {
                JobAdmission.accepted(m); // the first answer may have been lost
                return onWatch(state, new Watch(m.replyTo(), false)); // sent again: the result has not come back
            }
            JobAdmission.idInUse(m, "job id '" + jobId + "' is already in use (its job is "
                    + state.phase().name().toLowerCase(java.util.Locale.ROOT) + ")", clock.millis());
            return Effect().noReply();
        }
        starting = m;
        List<JobEvent> acceptance = JobEvent.accepted(m.spec(), clock.millis(), m.policyVersion(), m.submission());
        var accepted = (JobEvent.Accepted) acceptance.getLast();
        return Effect().persist(acceptance).thenRun(s -> {
            starting = null;
            work.redeliverPeriodically();
            watchers.add(m.replyTo());
            JobAdmission.accepted(m);
            reporter.accepted(s.spec(), accepted.atMs());
            for (TaskSpec t : s.spec().tasks()) {
                if (t.parents().isEmpty()) {
                    work.release(s, t.id(), true);
                }
            }
            admit(s);
        }).thenNoReply();
    }

    /**
     * Applies a batch of task reports: journals what they change in one write, then releases the
     * tasks that became ready and asks the inbox for the next batch. A report about a task that is
     * not in flight (a duplicate, one after the job ended) changes nothing.
     */
    private ReplyEffect<JobEvent, JobState> onReports(JobState state, List<Command> items) {
        ReportBatch batch = ReportBatch.of(state, items, settings.maxOutputReruns());
        batch.refused().forEach(Traffic::tell);
        List<JobEvent> events = new ArrayList<>(batch.events());
        if (batch.failure() != null) {
            JobTasks.giveBack(batch.leases());
            return failJob(state, events, batch.failure()).thenRun(s -> reportsDone()).thenNoReply();
        }
        if (batch.unfinished() == 0 && !events.isEmpty()) {
            JobTasks.giveBack(batch.leases());
            events.add(new JobEvent.Succeeded(clock.millis()));
            return Effect().persist(JobEvent.batched(events)).thenRun(this::finish).thenRun(s -> reportsDone())
                    .thenNoReply();
        }
        if (state.phase() != JobStatus.Phase.RUNNING) {
            JobTasks.giveBack(batch.leases()); // reports after the end
        }
        EffectBuilder<JobEvent, JobState> write = events.isEmpty() ? Effect().none()
                : Effect().persist(JobEvent.batched(events));
        return write.thenRun(s -> {
            batch.reserved().forEach(Traffic::tell);
            batch.released(s).forEach(id -> work.release(s, id, true));
            batch.again(s).forEach(id -> work.release(s, id, false));
            if (s.phase() == JobStatus.Phase.RUNNING) {
                work.dispatch(s, batch.leases(), events);
            }
            reportsDone();
        }).thenNoReply();
    }

    private void reportsDone() {
        context.getSelf().tell(ReportsDone.INSTANCE);
    }

    /**
     * Tells {@code replyTo} {@code status} (QUEUED while the running job waits for its process's
     * admission); an unknown job's entity then stops, unless a Start's parts are arriving.
     */
    private ReplyEffect<JobEvent, JobState> answer(JobState state, ActorRef<JobStatus> replyTo, JobStatus status) {
        replyTo.tell(queued && state.phase() == JobStatus.Phase.RUNNING ? status.withPhase(JobStatus.Phase.QUEUED)
                : status);
        if (state.phase() == JobStatus.Phase.UNKNOWN && uploads.isEmpty()) {
            passivateNow();
        }
        return Effect().noReply();
    }

    private ReplyEffect<JobEvent, JobState> onWatch(JobState state, Watch m) {
        if (state.phase() == JobStatus.Phase.UNKNOWN) {
            if (uploads.isEmpty()) {
                passivateNow();
            }
            return m.quietIfUnknown() ? Effect().noReply()
                    : Effect().reply(m.replyTo(), JobResult.rejected(jobId, "no job with id '" + jobId + "'", clock.millis()));
        }
        if (state.finished()) {
            ResultParts.tell(m.replyTo(), ResultParts.of(state.result())); // in parts when large
            return Effect().noReply();
        }
        watchers.add(m.replyTo());
        return Effect().noReply();
    }

    private ReplyEffect<JobEvent, JobState> onCancel(JobState state, Cancel m) {
        if (state.phase() != JobStatus.Phase.RUNNING) {
            return state.phase() == JobStatus.Phase.UNKNOWN ? passivate() : Effect().noReply();
        }
        return failJob(state, List.of(), "cancelled: " + m.reason()).thenNoReply();
    }

    private EffectBuilder<JobEvent, JobState> failJob(JobState state, List<JobEvent> first, String reason) {
        List<String> inFlight = state.inFlightTasks();
        List<JobEvent> events = new ArrayList<>(first);
        events.add(new JobEvent.Failed(reason, clock.millis()));
        return Effect().persist(JobEvent.batched(events)).thenRun(s -> {
            work.cancel(inFlight);
            finish(s);
        });
    }

    /**
     * The running job asks its process's admission to send tasks out: at once, or QUEUED until a
     * running job of the process ends.
     */
    private void admit(JobState state) {
        ActorRef<Command> self = context.getSelf();
        queued = !admission.enter(jobId, state.spec().priority(), () -> self.tell(Admitted.INSTANCE));
        if (!queued) {
            work.dispatch(state, List.of(), null);
        }
    }

    private void finish(JobState state) {
        admission.leave(jobId);
        work.stopRedelivering();
        JobResult result = state.result();
        List<Object> pieces = ResultParts.of(result);
        watchers.forEach(w -> ResultParts.tell(w, pieces));
        watchers.clear();
        try {
            reporter.ended(state.spec(), result, state.policyVersion());
        } catch (RuntimeException e) {
            context.getLog().warn("reporting the end of job {} failed", jobId, e);
        }
        context.getLog().debug("job {} {} in {} ms", jobId, result.outcome(), result.elapsedMs());
        timers.startSingleTimer(Idle.INSTANCE, Duration.ofMillis(settings.passivateFinishedAfterMs()));
    }

    private ReplyEffect<JobEvent, JobState> passivate() {
        passivateNow();
        return Effect().noReply();
    }

    private void passivateNow() {
        passivating = true;
        shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
}
