package dev.colony.actors.task;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.Attempt;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.policy.PlacementRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One task of a job (sharded entity, id {@code jobId/taskId}). Negotiates a place to run:
 * {@code RequestOffer} to the nodes its policy picks → {@code Offer}/{@code Decline} → {@code Accept}
 * → {@code Leased} → {@code Run} → {@code AttemptSucceeded}/{@code AttemptFailed}. Negotiates again
 * after a decline, a lapsed lease or a failed attempt, up to the spec's {@code maxAttempts} kernel
 * runs and {@link TaskSettings#maxRounds()} fruitless rounds; then reports to its {@link Job} and
 * asks to be passivated.
 */
public final class Task extends AbstractOnMessageBehavior<Task.Command> {

    /** Sharding key of task entities. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColonyTask");

    /** What a task understands: its own requests and every {@link NodeReply}. */
    public interface Command extends CborSerializable {
    }

    /** Runs {@code spec} of job {@code jobId} with its parents' outputs as {@code inputs}. */
    public record Execute(String jobId, TaskSpec spec, Map<String, JsonNode> inputs, int priority) implements Command {
    }

    /** Withdraws the task; it reports nothing back. */
    public record CancelTask(String reason) implements Command {
    }

    private record OfferWindowClosed(int round) implements Command, NoSerializationVerificationNeeded {
    }

    private record Renegotiate(int round) implements Command, NoSerializationVerificationNeeded {
    }

    private record RunOverdue(long leaseId) implements Command, NoSerializationVerificationNeeded {
    }

    /** The entity id of task {@code taskId} of job {@code jobId}. */
    public static String entityId(String jobId, String taskId) {
        return jobId + "/" + taskId;
    }

    /**
     * Creates the task entity with id {@code key}; it asks {@code shard} to passivate it once it is
     * done, so messages that race with its end are buffered, never lost.
     */
    public static Behavior<Command> create(String key, TaskDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Task(ctx, timers, key, deps, shard)));
    }

    private enum Stage { OFFERS, ACCEPTING, RUNNING, WAITING }

    private static final String OFFER_TIMER = "offers";
    private static final String RETRY_TIMER = "retry";
    private static final String RUN_TIMER = "run";

    private final TimerScheduler<Command> timers;
    private final String key;
    private final TaskDeps deps;
    private final SplittableRandom random;
    private final ActorRef<NodeReply> self;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private TaskState state = TaskState.IDLE;
    private Stage stage = Stage.WAITING;
    private int round;
    private int fruitlessRounds;
    private int asked;
    private final List<NodeReply.Offer> offers = new ArrayList<>();
    private final List<String> declines = new ArrayList<>();
    private NodeReply.Offer chosen;
    private long leaseId = -1;

    private Task(ActorContext<Command> context, TimerScheduler<Command> timers, String key, TaskDeps deps,
                 ActorRef<ClusterSharding.ShardCommand> shard) {
        super(context);
        this.shard = shard;
        this.timers = timers;
        this.key = key;
        this.deps = deps;
        this.random = new SplittableRandom(deps.settings().seed() ^ key.hashCode());
        this.self = context.getSelf().narrow();
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        try {
            return handle(msg);
        } catch (RuntimeException e) {
            // A bug here must still end the task (and so the job) with a reason, never strand it.
            getContext().getLog().error("task {} failed on {}", key, msg, e);
            return state.phase() == TaskState.Phase.IDLE || state.phase().terminal() ? passivate()
                    : fail("internal error in task actor: " + e);
        }
    }

    private Behavior<Command> handle(Command msg) {
        if (msg instanceof NodeReply reply) {
            // A reply to an entity that is over (or never started) is stale: let the entity go.
            return state.phase() == TaskState.Phase.IDLE || state.phase().terminal() ? passivate() : onNodeReply(reply);
        }
        return switch (msg) {
            case Execute m -> onExecute(m);
            case CancelTask m -> onCancel(m);
            case OfferWindowClosed m -> m.round() == round && stage == Stage.OFFERS ? decide() : this;
            case Renegotiate m -> m.round() == round && stage == Stage.WAITING ? negotiate() : this;
            case RunOverdue m -> onRunOverdue(m);
            default -> throw new IllegalArgumentException("task " + key + ": unexpected message " + msg);
        };
    }

    @Override
    public Behavior<Command> onSignal(Signal signal) {
        // Sharding stops entities with PoisonPill at hand-off and shutdown: left unhandled, it stops.
        return Behaviors.unhandled();
    }

    private Behavior<Command> onNodeReply(NodeReply reply) {
        return switch (reply) {
            case NodeReply.Offer m -> onOffer(m);
            case NodeReply.Decline m -> onDecline(m);
            case NodeReply.Leased m -> onLeased(m);
            case NodeReply.LeaseLapsed m -> onLeaseLapsed(m);
            case NodeReply.AttemptSucceeded m -> onAttemptSucceeded(m);
            case NodeReply.AttemptFailed m -> onAttemptFailed(m);
        };
    }

    private Behavior<Command> onExecute(Execute m) {
        if (state.phase() != TaskState.Phase.IDLE) {
            return this; // a duplicate release: the first one is in progress or done
        }
        apply(new TaskEvent.Started(m.jobId(), m.spec(), m.inputs(), m.priority()));
        return negotiate();
    }

    private Behavior<Command> negotiate() {
        round++;
        fruitlessRounds++;
        offers.clear();
        declines.clear();
        chosen = null;
        List<NodeDescriptor> fitting = deps.nodes().fitting(state.spec().resources());
        if (fitting.isEmpty()) {
            return renegotiateLater("no known node can hold " + state.spec().resources() + " ("
                    + deps.nodes().nodes().size() + " nodes known)");
        }
        List<NodeDescriptor> candidates = deps.policy().candidates(request(), fitting, random);
        stage = Stage.OFFERS;
        asked = candidates.size();
        for (NodeDescriptor n : candidates) {
            n.ref().tell(new Node.RequestOffer(key, round, state.spec().resources(), self));
        }
        timers.startSingleTimer(OFFER_TIMER, new OfferWindowClosed(round), Duration.ofMillis(deps.settings().offerTimeoutMs()));
        return this;
    }

    private Behavior<Command> onOffer(NodeReply.Offer m) {
        if (m.round() != round || stage != Stage.OFFERS) {
            m.node().tell(new Node.DeclineOffer(m.offerId())); // too late to be considered
            return this;
        }
        offers.add(m);
        return offers.size() + declines.size() >= asked ? decide() : this;
    }

    private Behavior<Command> onDecline(NodeReply.Decline m) {
        if (m.round() != round) {
            return this;
        }
        if (stage == Stage.ACCEPTING) {
            return renegotiateLater(m.reason());
        }
        if (stage != Stage.OFFERS) {
            return this;
        }
        declines.add(m.reason());
        return offers.size() + declines.size() >= asked ? decide() : this;
    }

    private Behavior<Command> decide() {
        timers.cancel(OFFER_TIMER);
        var choice = deps.policy().choose(request(), List.copyOf(offers), random);
        if (choice.isEmpty()) {
            return renegotiateLater(declines.isEmpty() ? "no node answered within " + deps.settings().offerTimeoutMs()
                    + " ms" : String.join("; ", declines));
        }
        chosen = choice.get();
        for (NodeReply.Offer o : offers) {
            if (o != chosen) {
                o.node().tell(new Node.DeclineOffer(o.offerId()));
            }
        }
        stage = Stage.ACCEPTING;
        chosen.node().tell(new Node.Accept(key, round, chosen.offerId(), chosen.validUntilMs(),
                state.spec().resources(), state.priority(), self));
        return this;
    }

    private Behavior<Command> onLeased(NodeReply.Leased m) {
        if (m.round() != round || stage != Stage.ACCEPTING) {
            return this; // a stale lease lapses on its node by itself
        }
        leaseId = m.leaseId();
        stage = Stage.RUNNING;
        fruitlessRounds = 0;
        int attempt = state.attempts() + 1;
        apply(new TaskEvent.AttemptStarted(attempt, m.nodeName(), m.leaseId(), m.queueWaitMs()));
        deps.jobs().apply(state.jobId()).tell(new Job.TaskRunning(state.spec().id(), summary()));
        TaskSpec spec = state.spec();
        chosen.node().tell(new Node.Run(leaseId, new Attempt(state.jobId(), spec.id(), attempt, spec.kernel(),
                spec.params(), state.inputs(), spec.timeoutMs()), self));
        timers.startSingleTimer(RUN_TIMER, new RunOverdue(leaseId),
                Duration.ofMillis(spec.timeoutMs() + deps.settings().runGraceMs()));
        return this;
    }

    private Behavior<Command> onLeaseLapsed(NodeReply.LeaseLapsed m) {
        if (m.leaseId() != leaseId || stage != Stage.RUNNING) {
            return this;
        }
        // The Run never reached the node: the kernel did not run, so the attempt does not count.
        timers.cancel(RUN_TIMER);
        leaseId = -1;
        apply(new TaskEvent.AttemptWithdrawn(state.attempts(), m.nodeName(), m.reason()));
        return renegotiateLater(m.reason());
    }

    private Behavior<Command> onAttemptSucceeded(NodeReply.AttemptSucceeded m) {
        if (m.leaseId() != leaseId || stage != Stage.RUNNING) {
            return this;
        }
        timers.cancel(RUN_TIMER);
        apply(new TaskEvent.Succeeded(m.attempt(), m.nodeName(), m.output(), m.runMs()));
        deps.jobs().apply(state.jobId()).tell(new Job.TaskSucceeded(state.spec().id(), m.output(), summary()));
        return passivate();
    }

    private Behavior<Command> onAttemptFailed(NodeReply.AttemptFailed m) {
        if (m.leaseId() != leaseId || stage != Stage.RUNNING) {
            return this;
        }
        return attemptFailed(m.nodeName(), m.reason(), m.runMs());
    }

    private Behavior<Command> onRunOverdue(RunOverdue m) {
        if (m.leaseId() != leaseId || stage != Stage.RUNNING) {
            return this;
        }
        chosen.node().tell(new Node.Cancel(key, "the task stopped waiting for it"));
        return attemptFailed(chosen.nodeName(), "node '" + chosen.nodeName() + "' did not report attempt "
                + state.attempts() + " within " + (state.spec().timeoutMs() + deps.settings().runGraceMs()) + " ms", 0);
    }

    private Behavior<Command> attemptFailed(String node, String reason, long runMs) {
        timers.cancel(RUN_TIMER);
        leaseId = -1;
        apply(new TaskEvent.AttemptFailed(state.attempts(), node, reason, runMs));
        if (state.attempts() >= state.spec().maxAttempts()) {
            return fail("failed after " + state.attempts() + " attempt" + (state.attempts() == 1 ? "" : "s")
                    + ": " + reason);
        }
        getContext().getLog().debug("task {} attempt {} failed on {}: {}", key, state.attempts(), node, reason);
        return negotiate();
    }

    private Behavior<Command> renegotiateLater(String reason) {
        if (fruitlessRounds >= deps.settings().maxRounds()) {
            return fail("could not be placed after " + fruitlessRounds + " negotiation rounds: " + reason);
        }
        stage = Stage.WAITING;
        long min = deps.settings().backoffMinMs();
        long backoff = Math.min(deps.settings().backoffMaxMs(), min << Math.clamp(fruitlessRounds - 1, 0, 20));
        long jitter = backoff > 1 ? random.nextLong(backoff / 2) : 0;
        timers.startSingleTimer(RETRY_TIMER, new Renegotiate(round), Duration.ofMillis(backoff / 2 + jitter + 1));
        return this;
    }

    private Behavior<Command> fail(String reason) {
        timers.cancelAll();
        apply(new TaskEvent.Failed(reason));
        deps.jobs().apply(state.jobId()).tell(new Job.TaskFailed(state.spec().id(), reason, summary()));
        return passivate();
    }

    private Behavior<Command> onCancel(CancelTask m) {
        if (state.phase() == TaskState.Phase.IDLE || state.phase().terminal()) {
            return passivate();
        }
        if (chosen != null && (stage == Stage.ACCEPTING || stage == Stage.RUNNING)) {
            chosen.node().tell(new Node.Cancel(key, m.reason()));
        }
        timers.cancelAll();
        apply(new TaskEvent.Cancelled(m.reason()));
        return passivate();
    }

    private Behavior<Command> passivate() {
        shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        return this;
    }

    private PlacementRequest request() {
        TaskSpec spec = state.spec();
        return new PlacementRequest(state.jobId(), spec.id(), spec.kernel(), spec.resources(), state.attempts() + 1, round);
    }

    private TaskSummary summary() {
        TaskSummary.TaskState s = switch (state.phase()) {
            case SUCCEEDED -> TaskSummary.TaskState.SUCCEEDED;
            case FAILED -> TaskSummary.TaskState.FAILED;
            case CANCELLED -> TaskSummary.TaskState.CANCELLED;
            case RUNNING -> TaskSummary.TaskState.RUNNING;
            default -> TaskSummary.TaskState.RELEASED;
        };
        return new TaskSummary(s, state.node(), state.attempts(), state.queueWaitMs(), state.runMs(),
                deps.policy().name(), state.lastError());
    }

    private void apply(TaskEvent event) {
        state = state.apply(event);
    }
}
