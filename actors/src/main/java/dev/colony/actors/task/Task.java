package dev.colony.actors.task;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.JournalGuard;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.output.TaskOutput;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One task of a job (sharded, event-sourced entity, id {@code jobId/taskId}). Negotiates a place
 * to run: {@code RequestOffer} to the nodes its policy picks → {@code Offer}/{@code Decline} →
 * {@code Accept} → {@code Leased} → {@code Run} → {@code AttemptSucceeded}/{@code AttemptFailed}.
 * Negotiates again after a decline, a lapsed lease or a failed attempt, up to the spec's
 * {@code maxAttempts} kernel runs and {@link TaskSettings#maxRounds()} fruitless rounds; then
 * reports to its {@link Job} and asks to be passivated.
 *
 * <p>Journalled: {@link TaskEvent}s (AttemptStarted before the kernel is sent, then
 * Succeeded/AttemptFailed/...); what to run comes with each {@code Execute}, negotiation rounds are
 * not journalled. A restarted task that has not finished asks its job to send {@code Execute}
 * again (a recovering job does so by itself); it then withdraws the attempt it had started (it
 * does not count) and negotiates again, never reusing an attempt number, so a late result of the
 * old attempt is ignored. A finished task asked to run again reports its outcome again instead.
 * An attempt whose inputs were lost does not count (lineage: see the package documentation).
 */
public final class Task extends EventSourcedBehaviorWithEnforcedReplies<Task.Command, TaskEvent, TaskState> {

    /** Sharding key of task entities. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColonyTask");

    /** What a task understands: its own requests and every {@link NodeReply}. */
    public interface Command extends CborSerializable {
    }

    /**
     * Runs {@code spec} of job {@code jobId} with its parents' outputs as {@code inputs}, placed by
     * placement policy version {@code policyVersion}; {@code reruns} above the task's own asks a
     * finished task to run again (its output was lost), one below it is stale.
     */
    public record Execute(String jobId, TaskSpec spec, Map<String, TaskOutput> inputs, int priority,
                          long policyVersion, int reruns) implements Command {
    }

    /** Withdraws the task; it reports nothing back. */
    public record CancelTask(String reason) implements Command {
    }

    /**
     * Sharding moves the task's shard away (its member is leaving): the task stops and asks its job
     * to send its work again, which starts it where the shard lands and resumes it from its journal.
     */
    public enum HandOff implements Command { INSTANCE }

    /** The entity id of task {@code taskId} of job {@code jobId}. */
    public static String entityId(String jobId, String taskId) {
        return jobId + "/" + taskId;
    }

    /**
     * Creates the task entity with id {@code key}; it asks {@code shard} to passivate it once it is
     * done, so messages that race with its end are buffered, never lost.
     */
    public static Behavior<Command> create(String key, TaskDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
        PersistenceId pid = PersistenceId.of(TYPE_KEY.name(), key);
        return JournalGuard.guard(pid, Command.class, guard -> Behaviors.<Command>setup(ctx -> Behaviors.withTimers(
                timers -> new Task(ctx, timers, pid, guard, key, deps, shard))), cause -> UnreadableTask.create(key, pid,
                cause, deps));
    }

    private final String key;
    private final TaskDeps deps;
    private final SplittableRandom random;
    private final ActorRef<NodeReply> self;
    private final ActorContext<Command> context;
    private final JournalGuard guard;
    private final JobLink link;
    private Work work; // what to run and how to place it: from the job, not journalled here
    private final Negotiation n;

    private Task(ActorContext<Command> context, TimerScheduler<Command> timers, PersistenceId pid, JournalGuard guard,
                 String key, TaskDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(pid, JournalGuard.RESTART_AFTER_JOURNAL_FAILURE);
        this.context = context;
        this.guard = guard;
        this.key = key;
        this.deps = deps;
        this.random = new SplittableRandom(deps.settings().seed() ^ key.hashCode());
        this.link = new JobLink(key, deps, shard, context.getSelf());
        this.self = context.getSelf().narrow();
        this.n = new Negotiation(key, self, timers, deps.settings(),
                (node, round) -> context.watchWith(node, new Negotiation.NodeGone(round)), context::unwatch);
    }

    /** Tasks never snapshot: recovery skips the snapshot store (one query fewer per task on JDBC). */
    @Override
    public Recovery recovery() {
        return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
    }

    @Override
    public TaskState emptyState() {
        return TaskState.IDLE;
    }

    @Override
    public EventHandler<TaskState, TaskEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(TaskState::apply);
    }

    @Override
    public SignalHandler<TaskState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    guard.recoveryCompleted();
                    boolean hadWork = work != null; // restarted after the journal failed a write
                    forgetProgress(); // what this incarnation did before is not to be trusted
                    link.recovered(state, hadWork);
                })
                .onSignal(RecoveryFailed.class, (state, failed) -> guard.recoveryFailed(failed.getFailure()))
                .build();
    }

    @Override
    public CommandHandlerWithReply<Command, TaskEvent, TaskState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::onCommand);
    }

    private ReplyEffect<TaskEvent, TaskState> onCommand(TaskState state, Command msg) {
        try {
            return handle(state, msg);
        } catch (RuntimeException e) {
            // A bug here must still end the task (and so the job) with a reason, never strand it.
            context.getLog().error("task {} failed on {}", key, msg, e);
            return idleOrOver(state) ? passivate() : fail(state, "internal error in task actor: " + e);
        }
    }

    private ReplyEffect<TaskEvent, TaskState> handle(TaskState state, Command msg) {
        if (msg instanceof NodeReply reply) {
            if (state.phase().terminal()) {
                return passivate(); // a stale reply to a finished task: let the entity go
            }
            if (work == null) {
                link.stray(reply); // this incarnation never got its Execute: it restarted mid-negotiation
                return passivate();
            }
        }
        return switch (msg) {
            case NodeReply.Offer m -> n.offered(m) ? decide(state) : none();
            case NodeReply.Decline m -> onDecline(state, m);
            case NodeReply.Leased m -> onLeased(state, m);
            case NodeReply.LeaseLapsed m -> onLeaseLapsed(state, m);
            case NodeReply.AttemptSucceeded m -> onAttemptSucceeded(state, m);
            case NodeReply.AttemptFailed m -> onAttemptFailed(state, m);
            case Execute m -> onExecute(state, m);
            case CancelTask m -> onCancel(state, m);
            case HandOff m -> {
                link.handingOff(!idleOrOver(state));
                yield Effect().stop().thenNoReply();
            }
            case Negotiation.OfferWindowClosed m -> n.at(m.round(), Negotiation.Stage.OFFERS) ? decide(state) : none();
            case Negotiation.Renegotiate m -> n.at(m.round(), Negotiation.Stage.WAITING) ? negotiate(state) : none();
            case Negotiation.RunOverdue m -> onRunOverdue(state, m);
            case Negotiation.Check m -> {
                n.check(m.round());
                yield none();
            }
            case Negotiation.NodeGone m -> n.nodeGone(m.round()) ? onNodeGone(state) : none();
            default -> throw new IllegalArgumentException("task " + key + ": unexpected message " + msg);
        };
    }

    private ReplyEffect<TaskEvent, TaskState> onExecute(TaskState state, Execute m) {
        if (m.reruns() > state.reruns()) {
            forgetProgress(); // it had finished: its output was lost, so it runs again
            work = Work.of(m, deps);
            return thenNegotiate(new TaskEvent.Rerun(m.reruns()));
        }
        if (m.reruns() < state.reruns() || link.lostIn(m)) {
            return none(); // sent before the job knew of the rerun, or of the lost inputs
        }
        boolean fresh = work == null;
        if (fresh) {
            work = Work.of(m, deps);
        }
        link.reportOutcome(state, summary(state)); // the job recovering: an outcome it may have missed
        if (state.phase().terminal()) {
            return passivate();
        }
        if (!fresh) {
            return none(); // a duplicate release: this incarnation is on it
        }
        if (state.phase() == TaskState.Phase.RUNNING) {
            return thenNegotiate(new TaskEvent.AttemptWithdrawn(state.lastAttempt(), state.node(), "attempt "
                    + state.lastAttempt() + " was interrupted: the process hosting task " + key + " restarted"));
        }
        return negotiate(state);
    }

    /** Back to knowing nothing but the journal (as on a first start). */
    private void forgetProgress() {
        n.cancelTimers();
        work = null;
        link.reset();
        n.reset();
    }

    private ReplyEffect<TaskEvent, TaskState> thenNegotiate(TaskEvent event) {
        return Effect().persist(event).thenRun(this::negotiate).thenNoReply();
    }

    private ReplyEffect<TaskEvent, TaskState> negotiate(TaskState state) {
        String problem = n.begin(work, state.attempts() + 1, deps.nodes(), random);
        return problem == null ? none() : renegotiateLater(state, problem);
    }

    private ReplyEffect<TaskEvent, TaskState> onDecline(TaskState state, NodeReply.Decline m) {
        if (n.acceptDeclined(m)) {
            return renegotiateLater(state, m.reason());
        }
        return n.declined(m) ? decide(state) : none();
    }

    private ReplyEffect<TaskEvent, TaskState> decide(TaskState state) {
        String problem = n.decide(work, state.attempts() + 1, random);
        return problem == null ? none() : renegotiateLater(state, problem);
    }

    private ReplyEffect<TaskEvent, TaskState> onLeased(TaskState state, NodeReply.Leased m) {
        if (!n.leased(m)) {
            return none(); // a stale lease lapses on its node by itself
        }
        int attempt = state.lastAttempt() + 1;
        // Journalled before the kernel is sent: an attempt number is never used twice.
        return Effect().persist(new TaskEvent.AttemptStarted(attempt, m.nodeName(), m.leaseId(), m.queueWaitMs(),
                        work.policy().name(), m.grantedAtMs()))
                .thenRun(s -> run(s, m.leaseId())).thenNoReply();
    }

    private void run(TaskState state, long lease) {
        if (n.holds(lease)) { // else cancelled while the event was being written
            link.running(summary(state));
            n.run(lease, work.attempt(state.lastAttempt()), work.spec().timeoutMs());
        }
    }

    private ReplyEffect<TaskEvent, TaskState> onLeaseLapsed(TaskState state, NodeReply.LeaseLapsed m) {
        if (!n.holds(m.leaseId())) {
            return none();
        }
        // The Run never reached the node (or its report was lost and forgotten): the attempt does not count.
        n.waiting();
        return Effect().persist(new TaskEvent.AttemptWithdrawn(state.lastAttempt(), m.nodeName(), m.reason()))
                .thenRun(s -> renegotiateLater(s, m.reason())).thenNoReply();
    }

    private ReplyEffect<TaskEvent, TaskState> onAttemptSucceeded(TaskState state, NodeReply.AttemptSucceeded m) {
        if (!current(state, m.leaseId(), m.attempt())) {
            return none(); // a superseded attempt: its result never counts
        }
        n.waiting();
        return Effect().persist(new TaskEvent.Succeeded(m.attempt(), m.nodeName(), m.output(), m.runMs()))
                .thenRun(this::reportAndStop).thenNoReply();
    }

    private ReplyEffect<TaskEvent, TaskState> onAttemptFailed(TaskState state, NodeReply.AttemptFailed m) {
        if (!current(state, m.leaseId(), m.attempt())) {
            return none();
        }
        if (!m.lostInputs().isEmpty()) {
            return inputsLost(state, m);
        }
        return attemptFailed(state, m.nodeName(), m.reason(), m.runMs());
    }

    /** Inputs lost by their producer: the attempt does not count; the job makes them again, then sends new work. */
    private ReplyEffect<TaskEvent, TaskState> inputsLost(TaskState state, NodeReply.AttemptFailed m) {
        n.waiting();
        Work lostWork = work;
        work = null;
        return Effect().persist(new TaskEvent.AttemptWithdrawn(state.lastAttempt(), m.nodeName(), m.reason()))
                .thenRun(s -> link.inputsLost(s.reruns(), lostWork, m)).thenNoReply();
    }

    private ReplyEffect<TaskEvent, TaskState> onRunOverdue(TaskState state, Negotiation.RunOverdue m) {
        if (!n.holds(m.leaseId())) {
            return none();
        }
        String node = n.chosen().nodeName();
        n.cancel("the task stopped waiting for it");
        return attemptFailed(state, node, "node '" + node + "' did not report attempt " + state.lastAttempt()
                + " within " + (work.spec().timeoutMs() + deps.settings().runGraceMs()) + " ms", 0);
    }

    /**
     * The chosen node is gone (stopped, or its member left or was downed): its queue or its kernel
     * went with it, so the task negotiates again at once. A running attempt is withdrawn: it does
     * not count against maxAttempts, and its number is not reused.
     */
    private ReplyEffect<TaskEvent, TaskState> onNodeGone(TaskState state) {
        String node = n.chosen().nodeName();
        String why = "node '" + node + "' is gone (stopped, or its member left the cluster)";
        boolean running = n.running();
        n.waiting();
        if (!running) {
            return negotiate(state);
        }
        return thenNegotiate(new TaskEvent.AttemptWithdrawn(state.lastAttempt(), node, why));
    }

    private ReplyEffect<TaskEvent, TaskState> attemptFailed(TaskState state, String node, String reason, long runMs) {
        n.waiting();
        var failed = new TaskEvent.AttemptFailed(state.lastAttempt(), node, reason, runMs);
        if (state.attempts() >= work.spec().maxAttempts()) {
            String why = "failed after " + state.attempts() + " attempt" + (state.attempts() == 1 ? "" : "s")
                    + ": " + reason;
            return Effect().persist(List.of(failed, new TaskEvent.Failed(why))).thenRun(this::reportAndStop)
                    .thenNoReply();
        }
        context.getLog().debug("task {} attempt {} failed on {}: {}", key, state.lastAttempt(), node, reason);
        return thenNegotiate(failed);
    }

    private ReplyEffect<TaskEvent, TaskState> renegotiateLater(TaskState state, String reason) {
        if (n.fruitlessRounds() >= deps.settings().maxRounds()) {
            return fail(state, "could not be placed after " + n.fruitlessRounds() + " negotiation rounds: " + reason);
        }
        n.retryLater(random);
        return none();
    }

    private ReplyEffect<TaskEvent, TaskState> fail(TaskState state, String reason) {
        n.cancelTimers();
        n.waiting();
        return Effect().persist(new TaskEvent.Failed(reason)).thenRun(this::reportAndStop).thenNoReply();
    }

    /** Tells the job how the task ended, and lets the entity go. */
    private void reportAndStop(TaskState s) {
        link.reportOutcome(s, summary(s));
        link.passivate();
    }

    private ReplyEffect<TaskEvent, TaskState> onCancel(TaskState state, CancelTask m) {
        if (idleOrOver(state)) {
            return passivate();
        }
        n.cancel(m.reason());
        n.cancelTimers();
        return Effect().persist(new TaskEvent.Cancelled(m.reason())).thenRun(s -> link.passivate()).thenNoReply();
    }

    /** Whether a node's report is about the attempt in progress (same lease and attempt number). */
    private boolean current(TaskState state, long lease, int attempt) {
        return n.holds(lease) && attempt == state.lastAttempt();
    }

    /** Whether this incarnation has nothing in progress: over, or never told what to run. */
    private boolean idleOrOver(TaskState state) {
        return work == null || state.phase().terminal();
    }

    private ReplyEffect<TaskEvent, TaskState> none() {
        return Effect().noReply();
    }

    private ReplyEffect<TaskEvent, TaskState> passivate() {
        link.passivate();
        return none();
    }

    private TaskSummary summary(TaskState state) {
        return state.summary((work != null ? work.policy() : deps.policies().base()).name());
    }
}
