package dev.colony.actors.node;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.Traffic;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.kernel.GpuAccess;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.TaskOutput;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One compute node: offers its capacity to negotiating tasks, queues accepted offers by job
 * priority, grants leases that lapse when unused, and runs kernels on the kernel dispatcher (never
 * on its own thread). After a success it keeps the lease for the same job's next task
 * ({@link HandedLease}, up to {@link NodeSettings#reuseLimit()} times in a row), unless a task of a
 * job of higher priority waits here. Registers itself with the receptionist under {@link #SERVICE_KEY}.
 *
 * <p>Talks to: tasks (replies are {@link NodeReply}), the kernel executor (results come back as
 * private messages).
 */
public final class Node extends AbstractOnMessageBehavior<Node.Command> {

    /** Receptionist key every node registers under. */
    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "colony-node");

    /** What a node understands. */
    public sealed interface Command extends CborSerializable {
    }

    /**
     * Asks for an offer for a task needing {@code resources}, expected to run {@code expectedRunMs}
     * at speed 1 (0 when unknown); answered by Offer or Decline.
     */
    public record RequestOffer(String taskKey, int round, ResourceRequest resources, double expectedRunMs,
                               ActorRef<NodeReply> replyTo) implements Command {
    }

    /**
     * Accepts an offer; answered by Leased once resources are free, or Decline if it expired. A task
     * that has heard nothing sends it again: the node then sends an unused lease again, and ignores
     * it while the first still waits here.
     *
     * @param expectedRunMs the task's expected run time at speed 1 (0 when unknown), which the node
     *                      counts toward the wait it offers later tasks
     */
    public record Accept(String taskKey, int round, long offerId, long validUntilMs, ResourceRequest resources,
                         int priority, double expectedRunMs, ActorRef<NodeReply> replyTo) implements Command {
    }

    /** The task took another node's offer: offer {@code offerId} no longer counts toward this node's load. */
    public record DeclineOffer(long offerId) implements Command {
    }

    /** Runs {@code attempt} under lease {@code leaseId}; answered by AttemptSucceeded or AttemptFailed. */
    public record Run(long leaseId, Attempt attempt, ActorRef<NodeReply> replyTo) implements Command {
    }

    /** Several Runs from the same sender, sent together (a job running its tasks under leases handed on). */
    public record Runs(List<Run> runs) implements Command {

        /** Copies. */
        public Runs {
            runs = List.copyOf(runs);
        }
    }

    /**
     * The task holding lease {@code leaseId} has heard nothing for a while: once the lease has ended
     * the node sends its report again (LeaseLapsed when it no longer knows the lease); while the
     * lease is live it says nothing, as its end will be reported.
     */
    public record CheckAttempt(long leaseId, ActorRef<NodeReply> replyTo) implements Command {
    }

    /** The job needs lease {@code leaseId}, handed on to it, no more: its resources are free again. */
    public record ReleaseLease(long leaseId) implements Command {
    }

    /** Withdraws everything {@code taskKey} holds here: queued acceptance, lease or running kernel. */
    public record Cancel(String taskKey, String reason) implements Command {
    }

    /** Asks for the node's descriptor. */
    public record Describe(ActorRef<NodeDescriptor> replyTo) implements Command {
    }

    /** Asks for the node's current load. */
    public record GetLoad(ActorRef<NodeLoad> replyTo) implements Command {
    }

    /** The node is leaving: it hands back queued and leased tasks and answers once no kernel runs. */
    public record Drain(ActorRef<akka.Done> replyTo) implements Command {
    }

    private enum DeadlinesMet implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** Sends the successes reported since the last read of the mailbox ({@link NodeReply.Successes}). */
    private enum Flush implements Command, NoSerializationVerificationNeeded { INSTANCE }

    private record AttemptFinished(long leaseId, TaskOutput output, String error, long runNs, long inputReadNs,
                                   List<String> lostInputs) implements Command, NoSerializationVerificationNeeded {
    }

    /**
     * Creates a node that writes large outputs to {@code outputs}, whose kernels may use {@code gpus}
     * (the bridges to this node's GPUs), and that reports every finished attempt to {@code feedback}.
     */
    public static Behavior<Command> create(NodeSettings settings, KernelRegistry kernels, Executor kernelExecutor,
                                           OutputStore outputs, List<GpuAccess> gpus, NodeFeedback feedback,
                                           InstantSource clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Node(ctx, timers, settings, kernels,
                kernelExecutor, outputs, gpus, feedback, clock)));
    }

    private final NodeSettings settings;
    private final KernelRegistry kernels;
    private final Executor kernelExecutor;
    private final OutputStore outputs;
    private final List<GpuAccess> gpus;
    private final NodeFeedback feedback;
    private final InstantSource clock;
    private final NodeQueue queue = new NodeQueue();
    private final Leases leases;
    private final OfferBook offers = new OfferBook();
    private final Deadlines deadlines;
    private final Outbox outbox;
    private long nextId = 1;
    private double meanRunMs = 1;
    private ActorRef<akka.Done> drained; // set once the node is leaving

    private Node(ActorContext<Command> context, TimerScheduler<Command> timers, NodeSettings settings,
                 KernelRegistry kernels, Executor kernelExecutor, OutputStore outputs, List<GpuAccess> gpus,
                 NodeFeedback feedback, InstantSource clock) {
        super(context);
        this.settings = settings;
        this.kernels = kernels;
        this.kernelExecutor = kernelExecutor;
        this.outputs = outputs;
        this.gpus = List.copyOf(gpus);
        this.feedback = feedback;
        this.clock = clock;
        this.leases = new Leases(settings.keepReportsMs());
        this.deadlines = new Deadlines(after -> timers.startSingleTimer(DeadlinesMet.INSTANCE, after));
        this.outbox = new Outbox(() -> context.getSelf().tell(Flush.INSTANCE));
        context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case RequestOffer m -> onRequestOffer(m);
            case Accept m -> onAccept(m);
            case DeclineOffer m -> {
                offers.closed(m.offerId());
                yield this;
            }
            case Run m -> onRun(m);
            case Runs m -> {
                m.runs().forEach(this::onRun);
                yield this;
            }
            case Flush m -> {
                outbox.flush();
                yield this;
            }
            case CheckAttempt m -> {
                leases.answer(m, settings.name(), clock.millis());
                yield this;
            }
            case Cancel m -> onCancel(m);
            case ReleaseLease m -> {
                Grant g = leases.get(m.leaseId());
                if (g != null && g.handedTo != null) {
                    release(m.leaseId());
                    grantWaiting();
                }
                yield this;
            }
            case Describe m -> onDescribe(m);
            case GetLoad m -> onGetLoad(m);
            case Drain m -> onDrain(m);
            case DeadlinesMet m -> {
                for (Deadlines.Due d : deadlines.due()) {
                    if (d.kind() == Deadlines.Kind.LEASE) {
                        onLeaseExpired(d.leaseId());
                    } else {
                        onAttemptTimedOut(d.leaseId());
                    }
                }
                yield this;
            }
            case AttemptFinished m -> onAttemptFinished(m);
        };
    }

    @Override
    public Behavior<Command> onSignal(Signal signal) {
        if (signal instanceof PostStop) {
            outbox.flush();
            leases.all().stream().filter(g -> g.running != null).forEach(g -> g.running.cancel(true));
        }
        return this;
    }

    private Behavior<Command> onRequestOffer(RequestOffer m) {
        String journal = feedback.gauge().journalProblem();
        if (drained != null) {
            decline(m.replyTo(), m.round(), leaving());
        } else if (journal != null) {
            decline(m.replyTo(), m.round(), "node '" + settings.name() + "' cannot write its journal: " + journal);
        } else if (!m.resources().fitsIn(settings.capacity())) {
            decline(m.replyTo(), m.round(), "node '" + settings.name() + "' has " + settings.capacity()
                    + "; the task needs " + m.resources());
        } else if (queue.size() >= settings.maxQueue()) {
            decline(m.replyTo(), m.round(), "node '" + settings.name() + "' queue is full (" + settings.maxQueue()
                    + " waiting)");
        } else {
            Traffic.tell(m.replyTo(), offers.open(settings, getContext().getSelf(), m, nextId++,
                    expectedHereMs(m.expectedRunMs()), leases, queue, clock.millis()));
        }
        return this;
    }

    private Behavior<Command> onAccept(Accept m) {
        offers.closed(m.offerId());
        if (drained != null) {
            decline(m.replyTo(), m.round(), leaving());
        } else if (queue.holds(m.taskKey(), m.round(), m.replyTo()) || leases.leasedAgain(m, settings.name())) {
            return this; // sent again by a task that has not heard back: it waits here, or its lease was sent again
        } else if (clock.millis() > m.validUntilMs()) {
            decline(m.replyTo(), m.round(), "offer " + m.offerId() + " from node '" + settings.name() + "' expired");
        } else if (!m.resources().fitsIn(settings.capacity())) {
            decline(m.replyTo(), m.round(), "node '" + settings.name() + "' cannot hold " + m.resources());
        } else {
            double expectedMs = expectedHereMs(m.expectedRunMs());
            queue.remove(m.taskKey()); // a later Accept of the task (a new incarnation's) replaces an earlier one
            queue.add(new NodeQueue.Waiting(nextId++, m.priority(), m.taskKey(), m.round(), m.resources(), m.replyTo(),
                    System.nanoTime(), expectedMs));
            grantWaiting();
        }
        return this;
    }

    private Behavior<Command> onRun(Run m) {
        Grant g = leases.get(m.leaseId());
        if (g == null) {
            Traffic.tell(m.replyTo(), new NodeReply.AttemptFailed(settings.name(), m.leaseId(), m.attempt().attempt(),
                    "lease " + m.leaseId() + " on node '" + settings.name() + "' is unknown or lapsed", 0));
            return this;
        }
        if (g.running != null) {
            getContext().getLog().warn("ignoring a second Run for lease {} of task {}", m.leaseId(), g.taskKey);
            return this;
        }
        if (g.handedTo != null) { // a lease handed on: the job's next task takes it
            if (!g.handedTo.equals(m.attempt().jobId())) {
                Traffic.tell(m.replyTo(), new NodeReply.AttemptFailed(settings.name(), m.leaseId(), m.attempt().attempt(),
                        "lease " + m.leaseId() + " on node '" + settings.name() + "' is kept for another job", 0));
                return this;
            }
            leases.takenBy(m.leaseId(), m.attempt().jobId() + "/" + m.attempt().taskId());
        }
        var kernel = kernels.find(m.attempt().kernel());
        if (kernel.isEmpty()) {
            end(m.leaseId(), m.replyTo(), new NodeReply.AttemptFailed(settings.name(), m.leaseId(),
                    m.attempt().attempt(), "node '" + settings.name() + "' has no kernel '" + m.attempt().kernel()
                    + "'; known: " + kernels.knownNames(), 0));
            grantWaiting();
            return this;
        }
        g.replyTo = m.replyTo();
        g.attempt = m.attempt();
        g.startedAtMs = clock.millis();
        leases.running(g, new KernelRun<Command>(kernel.get(), m.attempt(), settings, g.resources.cpus(), gpus,
                outputs, m.leaseId(), getContext().getSelf()::tell, AttemptFinished::new));
        kernelExecutor.execute(g.running);
        feedback.gauge().set(leases.running(), queue.size());
        deadlines.set(m.leaseId(), Deadlines.Kind.RUN, m.attempt().timeoutMs());
        return this;
    }

    private Behavior<Command> onCancel(Cancel m) {
        queue.remove(m.taskKey());
        Long lease = leases.ofTask(m.taskKey());
        if (lease != null) {
            Grant g = release(lease);
            if (g != null && g.running != null) {
                g.running.cancel(true);
                feedback.ended(settings, kernels, g.attempt, g.queueWaitMs, "cancelled", clock.millis() - g.startedAtMs, 0,
                        null, clock.millis());
                getContext().getLog().info("cancelled task {} on node {}: {}", m.taskKey(), settings.name(), m.reason());
            }
        }
        grantWaiting();
        return this;
    }

    private Behavior<Command> onDescribe(Describe m) {
        m.replyTo().tell(new NodeDescriptor(settings.name(), getContext().getSelf(), settings.capacity(),
                settings.speedFactor()));
        return this;
    }

    private Behavior<Command> onDrain(Drain m) {
        drained = m.replyTo();
        for (NodeQueue.Waiting w = queue.poll(); w != null; w = queue.poll()) {
            decline(w.replyTo(), w.round(), leaving());
        }
        for (Long lease : leases.ids()) {
            Grant g = leases.get(lease);
            if (g.handedTo != null) {
                release(lease);
            } else if (g.running == null) {
                end(lease, g.replyTo, new NodeReply.LeaseLapsed(settings.name(), lease, leaving()));
            }
        }
        drainedIfIdle();
        return this;
    }

    /** Answers a Drain once no kernel runs here any more. */
    private void drainedIfIdle() {
        if (drained != null && leases.isEmpty()) {
            outbox.flush();
            drained.tell(akka.Done.getInstance());
        }
    }

    private void decline(ActorRef<NodeReply> task, int round, String reason) {
        Traffic.tell(task, new NodeReply.Decline(settings.name(), round, reason));
    }

    private String leaving() {
        return "node '" + settings.name() + "' is leaving the cluster";
    }

    private Behavior<Command> onGetLoad(GetLoad m) {
        int running = leases.running();
        m.replyTo().tell(new NodeLoad(settings.name(), settings.capacity(), leases.reserved(), running,
                leases.size() - running, queue.size(), feedback.gauge().gpuUse(), feedback.gauge().journalProblem()));
        return this;
    }

    private void onLeaseExpired(long leaseId) {
        Grant g = leases.get(leaseId);
        if (g != null && g.handedTo != null) { // handed on, and not taken in time: nobody to tell
            release(leaseId);
            grantWaiting();
        } else if (g != null && g.running == null) {
            end(leaseId, g.replyTo, new NodeReply.LeaseLapsed(settings.name(), leaseId, "lease " + leaseId
                    + " on node '" + settings.name() + "' was not used within " + settings.leaseTtlMs() + " ms"));
            grantWaiting();
        }
    }

    private Behavior<Command> onAttemptFinished(AttemptFinished m) {
        Grant g = leases.get(m.leaseId());
        if (g == null || g.running == null) {
            return this; // timed out or cancelled before the kernel returned
        }
        long runMs = m.runNs() / 1_000_000;
        meanRunMs = 0.9 * meanRunMs + 0.1 * Math.max(runMs, 1);
        feedback.ended(settings, kernels, g.attempt, g.queueWaitMs, m.error() == null ? "succeeded" : "failed", runMs,
                m.inputReadNs() / 1e6, m.output(), clock.millis());
        if (m.error() != null) {
            end(m.leaseId(), g.replyTo, new NodeReply.AttemptFailed(settings.name(), m.leaseId(), g.attempt.attempt(),
                    m.error(), runMs, m.lostInputs()));
        } else {
            long next = handOn(m.leaseId(), g, runMs); // before the report: the lease's resources stay reserved
            var report = new NodeReply.AttemptSucceeded(settings.name(), m.leaseId(), g.attempt.attempt(), m.output(),
                    runMs, next);
            keep(m.leaseId(), report);
            outbox.add(g.replyTo, report); // with the other successes for the same actor
        }
        grantWaiting();
        return this;
    }

    /**
     * Keeps the resources of lease {@code leaseId} (whose attempt succeeded) reserved under a new
     * lease for the next task of the same job, which its job hands it without a new negotiation;
     * returns that lease's id, or -1 when the lease is not handed on: reuse off or used up, the node
     * is leaving, the attempt ran longer than lease-reuse.max-run (its successor is better placed by
     * the policy), a task of higher priority waits here, or one of the same job does (it gets the
     * lease from the queue at once, which costs fewer messages than going through its job).
     */
    private long handOn(long leaseId, Grant g, long runMs) {
        if (g.reuses >= settings.reuseLimit() || drained != null || runMs > settings.reuseMaxRunMs()
                || queue.holdsJob(g.attempt.jobId())
                || !queue.isEmpty() && queue.peek().priority() > g.priority) {
            return -1;
        }
        long next = nextId++;
        long now = clock.millis();
        Grant kept = new Grant("handed-on/" + next, -1, g.resources, null, g.expectedMs, 0, now,
                now + settings.reuseIdleMs());
        kept.handedTo = g.attempt.jobId();
        kept.reuses = g.reuses + 1;
        kept.priority = g.priority;
        release(leaseId);
        leases.grant(next, kept);
        deadlines.set(next, Deadlines.Kind.LEASE, settings.reuseIdleMs());
        return next;
    }

    private void onAttemptTimedOut(long leaseId) {
        Grant g = leases.get(leaseId);
        if (g == null || g.running == null) {
            return;
        }
        g.running.cancel(true);
        long timeoutMs = g.attempt.timeoutMs();
        feedback.ended(settings, kernels, g.attempt, g.queueWaitMs, "timed-out", timeoutMs, 0, null, clock.millis());
        getContext().getLog().warn("kernel '{}' of task {} timed out after {} ms on node {}; interrupted it",
                g.attempt.kernel(), g.taskKey, timeoutMs, settings.name());
        end(leaseId, g.replyTo, new NodeReply.AttemptFailed(settings.name(), leaseId, g.attempt.attempt(),
                "kernel '" + g.attempt.kernel() + "' timed out after " + timeoutMs + " ms (timeoutMs) on node '"
                + settings.name() + "'", timeoutMs));
        grantWaiting();
    }

    /** Grants leases to waiting tasks in priority order while the head of the queue fits. */
    private void grantWaiting() {
        while (!queue.isEmpty() && fitsNow(queue.peek().resources())) {
            NodeQueue.Waiting w = queue.poll();
            long leaseId = nextId++;
            long waitMs = (System.nanoTime() - w.acceptedAtNs()) / 1_000_000;
            long now = clock.millis();
            Grant g = new Grant(w.taskKey(), w.round(), w.resources(), w.replyTo(), w.expectedMs(), waitMs, now,
                    now + settings.leaseTtlMs());
            g.priority = w.priority();
            leases.grant(leaseId, g);
            deadlines.set(leaseId, Deadlines.Kind.LEASE, settings.leaseTtlMs());
            Traffic.tell(w.replyTo(), g.leased(settings.name(), leaseId));
        }
        feedback.gauge().set(leases.running(), queue.size());
        drainedIfIdle();
    }

    /** Expected run time here of a task expected to run {@code atSpeedOneMs} at speed 1 (the mean run here when unknown). */
    private double expectedHereMs(double atSpeedOneMs) {
        return atSpeedOneMs > 0 ? atSpeedOneMs / settings.speedFactor() : meanRunMs;
    }

    private boolean fitsNow(ResourceRequest r) {
        return leases.reserved().plus(r).fitsIn(settings.capacity());
    }

    /** Ends a lease without a report (its task withdrew it). */
    private Grant release(long leaseId) {
        deadlines.clear(leaseId);
        return leases.release(leaseId);
    }

    /** Ends a lease with {@code report}, told to {@code task} now and again if it asks ({@link CheckAttempt}). */
    private void end(long leaseId, ActorRef<NodeReply> task, NodeReply report) {
        keep(leaseId, report);
        Traffic.tell(task, report);
    }

    /** Ends a lease with {@code report}, kept to send again if its task asks ({@link CheckAttempt}). */
    private void keep(long leaseId, NodeReply report) {
        deadlines.clear(leaseId);
        leases.end(leaseId, report, clock.millis());
    }
}
