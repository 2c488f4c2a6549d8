package dev.colony.actors.task;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.output.TaskOutput;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One task of a job (sharded entity, id {@code jobId/taskId}, on its job's shard). Negotiates a
 * place to run: {@code RequestOffer} to the nodes its policy picks → {@code Offer}/{@code Decline}
 * → {@code Accept} → {@code Leased} → {@code Run} → {@code AttemptSucceeded}/{@code AttemptFailed}. Negotiates again after a decline,
 * a lapsed lease or a failed attempt, up to the spec's {@code maxAttempts} kernel runs and
 * {@link TaskSettings#maxRounds()} fruitless rounds; then reports to its {@link Job} and asks to be
 * passivated. A task its job runs itself, under a lease a node handed on after another of its tasks
 * succeeded, starts no entity unless that attempt needs one: the job hands it over ({@link Adopt})
 * when the node reports anything but a success, is gone, or is slow to report.
 *
 * <p>Journals nothing itself: the job is the unit of durability. Each {@code Execute} brings what
 * the job's journal says of the task (its run, the attempts that count, whether one runs); the
 * task reports every change to the job, which journals them in batches. Attempt numbers are handed
 * out by the job in events it journals anyway: the release that sends a task its work fresh
 * reserves its first number, and journalling an attempt's end reserves the next. A new
 * incarnation (its work sent again, not fresh: the number may have gone with an earlier one) asks
 * for a number while it negotiates, withdrawing an attempt the journal says runs. So numbers are
 * never reused, the common path waits for no write, and a late result of a superseded attempt
 * (another number or lease) is ignored. A finished task asked to run again reports its outcome
 * again instead. An attempt whose inputs were lost does not count (lineage: see the package
 * documentation).
 */
public final class Task extends AbstractBehavior<Task.Command> {

    /** Sharding key of task entities. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ColonyTask");

    /** What a task understands: its own requests and every {@link NodeReply}. */
    public interface Command extends CborSerializable {
    }

    /**
     * Runs {@code spec} of job {@code jobId} with its parents' outputs as {@code inputs}, placed by
     * placement policy version {@code policyVersion}; {@code reruns} above the task's own asks a
     * finished task to run again (its output was lost), one below it is stale.
     *
     * @param attempt    the highest attempt number the job handed out to the task
     * @param fresh      sent once, right after the event that reserved {@code attempt} for this
     *                   release: the task's next attempt is that one; else the task asks for a number
     * @param journalled what the job journalled of the task (attempts that count, whether one runs,
     *                   on which node); null: nothing yet
     */
    public record Execute(String jobId, TaskSpec spec, Map<String, TaskOutput> inputs, int priority,
                          long policyVersion, int reruns, int attempt, boolean fresh, TaskSummary journalled)
            implements Command {

        /** The fresh Execute of run {@code reruns}, whose release reserved attempt 1: nothing journalled of it. */
        public Execute(String jobId, TaskSpec spec, Map<String, TaskOutput> inputs, int priority, long policyVersion,
                       int reruns) {
            this(jobId, spec, inputs, priority, policyVersion, reruns, 1, true, null);
        }
    }

    /**
     * The job's answer to {@link Job.AttemptEnded} or {@link Job.ReserveAttempt} of run
     * {@code reruns}: the number journalled for the task's next attempt, or ({@code refusal} not
     * null) why the job no longer wants the run.
     */
    public record AttemptReserved(int reruns, int attempt, String refusal) implements Command {
    }

    /**
     * The job ran attempt {@code execute.attempt()} of the task itself under {@code lease} (handed
     * on by a node after another of its tasks succeeded there) since {@code startedAtMs}, and hands
     * it over: its node reported something other than a success (the report follows this), or it has
     * not reported for a while, or it is gone. {@code execute} is fresh, with what the job had
     * journalled of the task before that attempt; the task goes on as if it had started the attempt
     * itself.
     */
    public record Adopt(Execute execute, HandedLease lease, long startedAtMs) implements Command {
    }

    /** Withdraws the task; it reports nothing back. */
    public record CancelTask(String reason) implements Command {
    }

    /**
     * Sharding moves the task's shard away (its member is leaving): the task stops and asks its job
     * to send its work again, which starts it where the shard lands.
     */
    public enum HandOff implements Command { INSTANCE }

    /** The entity id of task {@code taskId} of job {@code jobId}. */
    public static String entityId(String jobId, String taskId) {
        return jobId + "/" + taskId;
    }

    /** The job id of task entity {@code entityId}. */
    public static String jobIdOf(String entityId) {
        return entityId.substring(0, Math.max(entityId.lastIndexOf('/'), 0));
    }

    /**
     * Creates the task entity with id {@code key}; it asks {@code shard} to passivate it once it is
     * done, so messages that race with its end are buffered, never lost.
     */
    public static Behavior<Command> create(String key, TaskDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Task(ctx, timers, key, deps, shard)));
    }

    private final String key;
    private final TaskDeps deps;
    private final SplittableRandom random;
    private final JobLink link;
    private final Negotiation n;
    private TaskState state = TaskState.IDLE; // what the job journalled, and what this incarnation did since
    private Work work; // what to run and how to place it: from the job
    private int reserved; // the number the job handed out for the next attempt; 0: none yet
    private Job.Command asking; // a request for a number the job has not answered
    private NodeReply.Leased waiting; // a lease held until the job hands out a number
    private ResourceRequest leaseResources; // what the lease held reserves

    private Task(ActorContext<Command> context, TimerScheduler<Command> timers, String key, TaskDeps deps,
                 ActorRef<ClusterSharding.ShardCommand> shard) {
        super(context);
        this.key = key;
        this.deps = deps;
        this.random = new SplittableRandom(deps.settings().seed() ^ key.hashCode());
        this.link = new JobLink(key, deps, shard, context.getSelf());
        ActorRef<NodeReply> self = context.getSelf().narrow();
        this.n = new Negotiation(key, self, timers, deps.settings(),
                (node, round) -> context.watchWith(node, new Negotiation.NodeGone(round)), context::unwatch);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onAnyMessage(this::onCommand).build();
    }

    private Behavior<Command> onCommand(Command msg) {
        try {
            return handle(msg);
        } catch (RuntimeException e) {
            // A bug here must still end the task (and so the job) with a reason, never strand it.
            getContext().getLog().error("task {} failed on {}", key, msg, e);
            return idleOrOver() ? passivate() : fail("internal error in task actor: " + e);
        }
    }

    private Behavior<Command> handle(Command msg) {
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
            case NodeReply.Offer m -> n.offered(m) ? decide() : this;
            case NodeReply.Decline m -> onDecline(m);
            case NodeReply.Leased m -> onLeased(m);
            case NodeReply.LeaseLapsed m -> onLeaseLapsed(m);
            case NodeReply.AttemptSucceeded m -> onAttemptSucceeded(m);
            case NodeReply.Successes m -> { // for a job's own runs: a task holds one lease, so only stale ones come here
                m.reports().forEach(this::onAttemptSucceeded);
                yield this;
            }
            case NodeReply.AttemptFailed m -> onAttemptFailed(m);
            case Execute m -> onExecute(m);
            case Adopt m -> onAdopt(m);
            case AttemptReserved m -> onReserved(m);
            case CancelTask m -> onCancel(m);
            case HandOff m -> {
                link.handingOff(!idleOrOver());
                yield Behaviors.stopped();
            }
            case Negotiation.OfferWindowClosed m -> n.at(m.round(), Negotiation.Stage.OFFERS) ? decide() : this;
            case Negotiation.Renegotiate m -> n.at(m.round(), Negotiation.Stage.WAITING) ? negotiate() : this;
            case Negotiation.RunOverdue m -> onRunOverdue(m);
            case Negotiation.Check m -> {
                n.check(m.round());
                yield this;
            }
            case Negotiation.NodeGone m -> n.nodeGone(m.round()) ? onNodeGone() : this;
            default -> throw new IllegalArgumentException("task " + key + ": unexpected message " + msg);
        };
    }

    private Behavior<Command> onExecute(Execute m) {
        if (state.phase() == TaskState.Phase.IDLE || m.reruns() > state.reruns()) {
            // The first word of the job to this incarnation, or a new run (the output was lost).
            forgetProgress();
            state = TaskState.of(m);
            work = Work.of(m, deps);
            if (m.fresh()) {
                reserved = m.attempt();
            } else if (state.phase() == TaskState.Phase.RUNNING) {
                withdraw(state.node(), "attempt " + state.lastAttempt() + " was interrupted: the process hosting "
                        + "task " + key + " restarted");
            } else {
                ask(new Job.ReserveAttempt(link.taskId(), state.reruns(), getContext().getSelf()));
            }
            return negotiate();
        }
        if (m.reruns() < state.reruns() || link.lostIn(m)) {
            return this; // sent before the job knew of the rerun, or of the lost inputs
        }
        if (state.phase().terminal()) {
            link.reportOutcome(state, summary(), null); // the job's report was lost, or it recovered without it
            return passivate();
        }
        if (work == null) { // it had found inputs lost: this is the work with new ones
            work = Work.of(m, deps);
            if (m.fresh() && m.attempt() > state.lastAttempt()) {
                reserved = m.attempt();
            }
            return negotiate();
        }
        if (asking != null) {
            link.tell(asking); // the job may have restarted before it answered
        }
        return this; // a duplicate release: this incarnation is on it
    }

    /**
     * Takes over the attempt its job ran under a handed-on lease: from what the job journalled
     * before it, as if this incarnation had started it (watching its node, with the attempt's
     * deadline). An adoption of an earlier run is stale.
     */
    private Behavior<Command> onAdopt(Adopt m) {
        Execute e = m.execute();
        if (e.reruns() < state.reruns()) {
            return this;
        }
        forgetProgress(); // an incarnation from before a restart of the job may still negotiate: the job's run counts
        state = TaskState.of(e);
        work = Work.of(e, deps);
        leaseResources = m.lease().resources();
        state = state.apply(new TaskEvent.AttemptStarted(e.attempt(), m.lease().nodeName(), m.lease().leaseId(), 0,
                work.policy().name(), m.startedAtMs()));
        n.adopt(m.lease(), work.spec().timeoutMs());
        return this;
    }

    /** Back to knowing nothing (as on a first start). */
    private void forgetProgress() {
        n.cancelTimers();
        work = null;
        reserved = 0;
        asking = null;
        waiting = null;
        link.reset();
        n.reset();
    }

    private Behavior<Command> negotiate() {
        String problem = n.begin(work, state.attempts() + 1, deps.nodes(), random);
        return problem == null ? this : renegotiateLater(problem);
    }

    private Behavior<Command> onDecline(NodeReply.Decline m) {
        if (n.acceptDeclined(m)) {
            return renegotiateLater(m.reason());
        }
        return n.declined(m) ? decide() : this;
    }

    private Behavior<Command> decide() {
        String problem = n.decide(work, state.attempts() + 1, random);
        return problem == null ? this : renegotiateLater(problem);
    }

    private Behavior<Command> onLeased(NodeReply.Leased m) {
        if (!n.leased(m)) {
            return this; // a stale lease lapses on its node by itself
        }
        leaseResources = work.spec().resources();
        if (reserved == 0) {
            waiting = m; // the lease is held until the job hands out a number
        } else {
            start(m);
        }
        return this;
    }

    /** Runs the attempt under the number the job handed out (journalled, so never used twice). */
    private void start(NodeReply.Leased m) {
        int attempt = reserved;
        reserved = 0;
        waiting = null;
        state = state.apply(new TaskEvent.AttemptStarted(attempt, m.nodeName(), m.leaseId(), m.queueWaitMs(),
                work.policy().name(), m.grantedAtMs()));
        link.tell(new Job.AttemptRunning(link.taskId(), state.reruns(), attempt, m.nodeName(), m.queueWaitMs(),
                work.policy().name(), m.grantedAtMs()));
        n.run(m.leaseId(), work.attempt(attempt), work.spec().timeoutMs());
    }

    /** Asks the job for the next attempt number (and sends the request again if the job restarts). */
    private void ask(Job.Command request) {
        asking = request;
        link.tell(request);
    }

    private Behavior<Command> onReserved(AttemptReserved m) {
        if (asking == null || m.reruns() != state.reruns()) {
            return this; // an answer sent again, or of an earlier run
        }
        asking = null;
        if (m.refusal() != null) { // the job no longer wants this run: this incarnation is stale
            n.cancel(m.refusal());
            forgetProgress();
            state = TaskState.IDLE;
            return passivate();
        }
        if (m.attempt() > state.lastAttempt()) {
            reserved = m.attempt();
        }
        if (waiting != null && n.holds(waiting.leaseId()) && reserved != 0) {
            start(waiting);
        }
        return this;
    }

    private Behavior<Command> onLeaseLapsed(NodeReply.LeaseLapsed m) {
        if (!n.holds(m.leaseId())) {
            return this;
        }
        // The Run never reached the node (or its report was lost and forgotten): the attempt does not count.
        n.waiting();
        withdraw(m.nodeName(), m.reason());
        return renegotiateLater(m.reason());
    }

    private Behavior<Command> onAttemptSucceeded(NodeReply.AttemptSucceeded m) {
        if (!current(m.leaseId(), m.attempt())) {
            return this; // a superseded attempt: its result never counts
        }
        HandedLease next = m.nextLease() < 0 ? null
                : new HandedLease(n.chosen().node(), m.nodeName(), m.nextLease(), leaseResources);
        n.waiting();
        state = state.apply(new TaskEvent.Succeeded(m.attempt(), m.nodeName(), m.output(), m.runMs()));
        link.reportOutcome(state, summary(), next); // the job hands the lease on to another of its tasks
        return passivate();
    }

    private Behavior<Command> onAttemptFailed(NodeReply.AttemptFailed m) {
        if (!current(m.leaseId(), m.attempt())) {
            return this;
        }
        if (!m.lostInputs().isEmpty()) {
            return inputsLost(m);
        }
        return attemptFailed(m.nodeName(), m.reason(), m.runMs());
    }

    /** Inputs lost by their producer: the attempt does not count; the job makes them again, then sends new work. */
    private Behavior<Command> inputsLost(NodeReply.AttemptFailed m) {
        n.waiting();
        withdraw(m.nodeName(), m.reason());
        Work lostWork = work;
        work = null;
        link.inputsLost(state.reruns(), lostWork, m);
        return this;
    }

    private Behavior<Command> onRunOverdue(Negotiation.RunOverdue m) {
        if (!n.holds(m.leaseId())) {
            return this;
        }
        String node = n.chosen().nodeName();
        n.cancel("the task stopped waiting for it");
        return attemptFailed(node, "node '" + node + "' did not report attempt " + state.lastAttempt() + " within "
                + (work.spec().timeoutMs() + deps.settings().runGraceMs()) + " ms", 0);
    }

    /**
     * The chosen node is gone (stopped, or its member left or was downed): its queue or its kernel
     * went with it, so the task negotiates again at once. A running attempt is withdrawn: it does
     * not count against maxAttempts, and its number is not reused.
     */
    private Behavior<Command> onNodeGone() {
        String node = n.chosen().nodeName();
        boolean running = n.running();
        n.waiting();
        if (running) {
            withdraw(node, "node '" + node + "' is gone (stopped, or its member left the cluster)");
        }
        return negotiate();
    }

    /**
     * The attempt in progress ends without its kernel's verdict: it does not count; the job journals
     * that and hands out the next number. A lease still waiting for a number ends nothing.
     */
    private void withdraw(String node, String reason) {
        if (waiting != null) {
            waiting = null;
            return;
        }
        state = state.apply(new TaskEvent.AttemptWithdrawn(state.lastAttempt(), node, reason));
        ended(node, reason, 0, false);
    }

    /** Tells the job the last attempt ended, asking for the next number. */
    private void ended(String node, String reason, long runMs, boolean counts) {
        ask(new Job.AttemptEnded(link.taskId(), state.reruns(), state.lastAttempt(), node, reason, runMs, counts,
                getContext().getSelf()));
    }

    private Behavior<Command> attemptFailed(String node, String reason, long runMs) {
        n.waiting();
        state = state.apply(new TaskEvent.AttemptFailed(state.lastAttempt(), node, reason, runMs));
        ended(node, reason, runMs, true);
        if (state.attempts() >= work.spec().maxAttempts()) {
            String why = "failed after " + state.attempts() + " attempt" + (state.attempts() == 1 ? "" : "s")
                    + ": " + reason;
            state = state.apply(new TaskEvent.Failed(why));
            return reportAndStop();
        }
        getContext().getLog().debug("task {} attempt {} failed on {}: {}", key, state.lastAttempt(), node, reason);
        return negotiate();
    }

    private Behavior<Command> renegotiateLater(String reason) {
        if (n.fruitlessRounds() >= deps.settings().maxRounds()) {
            return fail("could not be placed after " + n.fruitlessRounds() + " negotiation rounds: " + reason);
        }
        n.retryLater(random);
        return this;
    }

    private Behavior<Command> fail(String reason) {
        n.cancelTimers();
        n.waiting();
        state = state.apply(new TaskEvent.Failed(reason));
        return reportAndStop();
    }

    /** Tells the job how the task ended, and lets the entity go. */
    private Behavior<Command> reportAndStop() {
        link.reportOutcome(state, summary(), null);
        return passivate();
    }

    private Behavior<Command> onCancel(CancelTask m) {
        if (idleOrOver()) {
            return passivate();
        }
        n.cancel(m.reason());
        n.cancelTimers();
        state = state.apply(new TaskEvent.Cancelled(m.reason()));
        return passivate();
    }

    /** Whether a node's report is about the attempt in progress (same lease and attempt number). */
    private boolean current(long lease, int attempt) {
        return n.holds(lease) && waiting == null && attempt == state.lastAttempt();
    }

    /** Whether this incarnation has nothing in progress: over, or never told what to run. */
    private boolean idleOrOver() {
        return work == null || state.phase().terminal();
    }

    private Behavior<Command> passivate() {
        link.passivate();
        return this;
    }

    private TaskSummary summary() {
        return state.summary((work != null ? work.policy() : deps.policies().base()).name());
    }
}
