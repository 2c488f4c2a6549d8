package dev.colony.actors.task;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.colony.actors.Traffic;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.Attempt;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.node.NodeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where one task incarnation stands with the nodes: the negotiation round in progress (offers
 * asked for, offers and declines received, the offer taken) and the lease it led to. Sends the
 * round's messages to nodes; the {@link Task} decides what is journalled and when to try again.
 * Not journalled: a restarted task starts with a fresh one.
 */
final class Negotiation {

    /** What the task is waiting for. */
    enum Stage { OFFERS, ACCEPTING, RUNNING, WAITING }

    /** Round {@code round}'s offer window closed. */
    record OfferWindowClosed(int round) implements Task.Command, NoSerializationVerificationNeeded {
    }

    /** Time to try round {@code round} again. */
    record Renegotiate(int round) implements Task.Command, NoSerializationVerificationNeeded {
    }

    /** The node has not reported the attempt of lease {@code leaseId} in time. */
    record RunOverdue(long leaseId) implements Task.Command, NoSerializationVerificationNeeded {
    }

    /** Round {@code round} has heard nothing from its node for a while since its Accept or its lease. */
    record Check(int round) implements Task.Command, NoSerializationVerificationNeeded {
    }

    /** The node of round {@code round}'s Accept or attempt stopped, or left the cluster. */
    record NodeGone(int round) implements Task.Command, NoSerializationVerificationNeeded {
    }

    private static final String OFFER_TIMER = "offers";
    private static final String RETRY_TIMER = "retry";
    private static final String RUN_TIMER = "run";
    private static final String CHECK_TIMER = "check";
    private static final int MAX_CHECK_BACKOFF = 16;

    private final String key;
    private final ActorRef<NodeReply> self;
    private final TimerScheduler<Task.Command> timers;
    private final TaskSettings settings;
    private final BiConsumer<ActorRef<Node.Command>, Integer> watch;
    private final Consumer<ActorRef<Node.Command>> unwatch;
    private ActorRef<Node.Command> watched;
    private Stage stage = Stage.WAITING;
    private int round;
    private int fruitlessRounds;
    private int asked;
    private final List<NodeReply.Offer> offers = new ArrayList<>();
    private final List<String> declines = new ArrayList<>();
    private NodeReply.Offer chosen;
    private boolean localOnly; // this round asked only this process's nodes (see colony.task.local-first-wait)
    private NodeView view; // the nodes this round was drawn from, for going wider after a local round
    private Node.Accept accepted; // sent to the chosen node
    private long leaseId = -1;
    private long checkAfterMs;

    /**
     * A negotiation for task {@code key}, whose deadlines it sets on {@code timers}; from an Accept
     * to the attempt's end it has {@code watch} watch the chosen node (with the round), so the task
     * hears when that node is gone.
     */
    Negotiation(String key, ActorRef<NodeReply> self, TimerScheduler<Task.Command> timers, TaskSettings settings,
                BiConsumer<ActorRef<Node.Command>, Integer> watch, Consumer<ActorRef<Node.Command>> unwatch) {
        this.key = key;
        this.self = self;
        this.timers = timers;
        this.settings = settings;
        this.watch = watch;
        this.unwatch = unwatch;
    }

    int round() {
        return round;
    }

    int fruitlessRounds() {
        return fruitlessRounds;
    }

    /** The offer taken in this round (the node the attempt runs on once leased). */
    NodeReply.Offer chosen() {
        return chosen;
    }

    /** Whether a timer of {@code timerRound} still finds the round at {@code expected}. */
    boolean at(int timerRound, Stage expected) {
        return timerRound == round && stage == expected;
    }

    /**
     * Starts a new round for attempt {@code attempt} of {@code work}: asks the nodes its policy
     * picks among those of {@code nodes} that can hold it. Returns why it could not, or null.
     */
    String begin(Work work, int attempt, NodeView nodes, SplittableRandom random) {
        begin();
        List<NodeDescriptor> fitting = nodes.fitting(work.spec().resources());
        if (fitting.isEmpty()) {
            return "no known node can hold " + work.spec().resources() + " (" + nodes.nodes().size() + " nodes known)";
        }
        view = nodes;
        List<NodeDescriptor> local = settings.localFirstWaitMs() > 0 && work.policy().localFirst()
                ? local(fitting) : List.of();
        localOnly = !local.isEmpty() && local.size() < fitting.size();
        askAmong(localOnly ? local : fitting, work, attempt, random);
        return null;
    }

    /** Asks the nodes {@code work}'s policy picks among {@code nodes} for an offer for attempt {@code attempt}. */
    private void askAmong(List<NodeDescriptor> nodes, Work work, int attempt, SplittableRandom random) {
        ask(work.policy().candidates(work.request(attempt, round), nodes, random), work.spec().resources(),
                work.expectedRunMs());
    }

    /** The nodes of {@code nodes} in this process. */
    private static List<NodeDescriptor> local(List<NodeDescriptor> nodes) {
        List<NodeDescriptor> local = new ArrayList<>(nodes.size());
        for (NodeDescriptor n : nodes) {
            if (n.ref().path().address().hasLocalScope()) {
                local.add(n);
            }
        }
        return local;
    }

    /**
     * Closes the round's offers and accepts the one {@code work}'s policy chooses for attempt
     * {@code attempt}. Returns why there is none to take, or null.
     */
    String decide(Work work, int attempt, SplittableRandom random) {
        offersClosed();
        List<NodeReply.Offer> considered = offers();
        if (localOnly) {
            considered = considered.stream().filter(o -> o.expectedWaitMs() <= settings.localFirstWaitMs()).toList();
            if (considered.isEmpty()) {
                widen(work, attempt, random);
                return null;
            }
        }
        var choice = work.policy().choose(work.request(attempt, round), considered, random);
        if (choice.isEmpty()) {
            return whyNoOffer();
        }
        accept(choice.get(), work.spec().resources(), work.execute().priority(), work.expectedRunMs());
        return null;
    }

    /**
     * Starts a round that needs no offers: the task takes {@code lease}, handed on to its job by the
     * node after another of the job's tasks succeeded there, and holds it at once.
     */
    void take(HandedLease lease) {
        begin();
        chosen = new NodeReply.Offer(lease.nodeName(), lease.node(), round, -1, Long.MAX_VALUE, 0, 0, 0, 1,
                lease.resources());
        watchChosen();
        leaseId = lease.leaseId();
        stage = Stage.RUNNING;
        fruitlessRounds = 0;
        checkSoon();
    }

    /**
     * No node of this process can start the task soon: declines their offers and asks every
     * fitting node at once, in a new round (late local offers are then declined as stale) that
     * does not count as fruitless.
     */
    private void widen(Work work, int attempt, SplittableRandom random) {
        for (NodeReply.Offer o : offers) {
            Traffic.tell(o.node(), new Node.DeclineOffer(o.offerId()));
        }
        begin();
        fruitlessRounds--;
        askAmong(view.fitting(work.spec().resources()), work, attempt, random);
    }

    /** Starts a new round: forgets the last one's offers, declines and choice. */
    private void begin() {
        round++;
        fruitlessRounds++;
        offers.clear();
        declines.clear();
        chosen = null;
        localOnly = false;
    }

    /** Asks {@code candidates} for offers for {@code resources}, for a task expected to run {@code expectedRunMs}. */
    private void ask(List<NodeDescriptor> candidates, ResourceRequest resources, double expectedRunMs) {
        stage = Stage.OFFERS;
        asked = candidates.size();
        for (NodeDescriptor n : candidates) {
            Traffic.tell(n.ref(), new Node.RequestOffer(key, round, resources, expectedRunMs, self));
        }
        timers.startSingleTimer(OFFER_TIMER, new OfferWindowClosed(round),
                Duration.ofMillis(settings.offerTimeoutMs()));
    }

    /** The offers are in (or their window closed): the window's timer goes. */
    private void offersClosed() {
        timers.cancel(OFFER_TIMER);
    }

    /**
     * The attempt its job sent to run under {@code lease} is this task's now: watched like one it
     * sent itself, overdue {@code timeoutMs} plus the grace from now.
     */
    void adopt(HandedLease lease, long timeoutMs) {
        take(lease);
        timers.startSingleTimer(RUN_TIMER, new RunOverdue(lease.leaseId()), Duration.ofMillis(timeoutMs
                + settings.runGraceMs()));
    }

    /** Sends {@code attempt} to run under {@code lease}; it is overdue after {@code timeoutMs} plus the grace. */
    void run(long lease, Attempt attempt, long timeoutMs) {
        Traffic.tell(chosen.node(), new Node.Run(lease, attempt, self));
        timers.startSingleTimer(RUN_TIMER, new RunOverdue(lease), Duration.ofMillis(timeoutMs + settings.runGraceMs()));
    }

    /** Waits for the next round, backing off: doubling from the minimum, half of it jittered. */
    void retryLater(SplittableRandom random) {
        waiting();
        long backoff = Math.min(settings.backoffMaxMs(),
                settings.backoffMinMs() << Math.clamp(fruitlessRounds - 1, 0, 20));
        long jitter = backoff > 1 ? random.nextLong(backoff / 2) : 0;
        timers.startSingleTimer(RETRY_TIMER, new Renegotiate(round), Duration.ofMillis(backoff / 2 + jitter + 1));
    }

    /** Forgets every deadline. */
    void cancelTimers() {
        timers.cancelAll();
    }

    /** Counts an offer (a late one is declined back to its node); true once every node asked answered. */
    boolean offered(NodeReply.Offer m) {
        if (m.round() != round || stage != Stage.OFFERS) {
            Traffic.tell(m.node(), new Node.DeclineOffer(m.offerId())); // too late to be considered
            return false;
        }
        offers.add(m);
        return answered();
    }

    /** Counts a decline of this round's offer request; true once every node asked answered. */
    boolean declined(NodeReply.Decline m) {
        if (m.round() != round || stage != Stage.OFFERS) {
            return false;
        }
        declines.add(m.reason());
        return answered();
    }

    private boolean answered() {
        return offers.size() + declines.size() >= asked;
    }

    private List<NodeReply.Offer> offers() {
        return List.copyOf(offers);
    }

    /** Why this round has no offer to take. */
    private String whyNoOffer() {
        return declines.isEmpty() ? "no node answered within " + settings.offerTimeoutMs() + " ms"
                : String.join("; ", declines);
    }

    /** Takes {@code offer}: declines the others and sends Accept to its node. */
    private void accept(NodeReply.Offer offer, ResourceRequest resources, int priority, double expectedRunMs) {
        chosen = offer;
        for (NodeReply.Offer o : offers) {
            if (o != chosen) {
                Traffic.tell(o.node(), new Node.DeclineOffer(o.offerId()));
            }
        }
        stage = Stage.ACCEPTING;
        watchChosen();
        accepted = new Node.Accept(key, round, chosen.offerId(), chosen.validUntilMs(), resources, priority,
                expectedRunMs, self);
        Traffic.tell(chosen.node(), accepted);
        checkSoon();
    }

    /**
     * Round {@code checkRound} still waits for its node's Leased or report: the Accept or the report
     * may have been lost (Artery drops what overflows its send queue), so it sends the Accept again,
     * or asks how the attempt went; then waits twice as long, up to 16 times check-every.
     */
    void check(int checkRound) {
        if (checkRound != round || (stage != Stage.ACCEPTING && stage != Stage.RUNNING)) {
            return;
        }
        Traffic.tell(chosen.node(), stage == Stage.ACCEPTING ? accepted : new Node.CheckAttempt(leaseId, self));
        checkAfterMs = Math.min(checkAfterMs * 2, settings.checkEveryMs() * MAX_CHECK_BACKOFF);
        timers.startSingleTimer(CHECK_TIMER, new Check(round), Duration.ofMillis(checkAfterMs));
    }

    private void checkSoon() {
        checkAfterMs = settings.checkEveryMs();
        timers.startSingleTimer(CHECK_TIMER, new Check(round), Duration.ofMillis(checkAfterMs));
    }

    /** Whether a decline answers the Accept of this round. */
    boolean acceptDeclined(NodeReply.Decline m) {
        return m.round() == round && stage == Stage.ACCEPTING;
    }

    /** Holds the lease of {@code m} if it answers this round's Accept; a stale one lapses on its node. */
    boolean leased(NodeReply.Leased m) {
        if (m.round() != round || stage != Stage.ACCEPTING) {
            return false;
        }
        leaseId = m.leaseId();
        stage = Stage.RUNNING;
        fruitlessRounds = 0;
        checkSoon();
        return true;
    }

    /** Whether {@code lease} is the one the attempt in progress runs under. */
    boolean holds(long lease) {
        return lease == leaseId && stage == Stage.RUNNING;
    }

    /** Nothing in progress any more: waiting for a retry, a report to be written, or the end. */
    void waiting() {
        leaseId = -1;
        stage = Stage.WAITING;
        timers.cancel(RUN_TIMER);
        timers.cancel(CHECK_TIMER);
        stopWatching();
    }

    /** Whether {@code goneRound}'s node is the one this round accepted (and still waits for). */
    boolean nodeGone(int goneRound) {
        return goneRound == round && (stage == Stage.ACCEPTING || stage == Stage.RUNNING);
    }

    /** Whether an attempt runs (a lease is held) in this round. */
    boolean running() {
        return stage == Stage.RUNNING;
    }

    /** Watches the chosen node (instead of any earlier one), so the task hears when it is gone. */
    private void watchChosen() {
        stopWatching();
        watched = chosen.node();
        watch.accept(watched, round);
    }

    private void stopWatching() {
        if (watched != null) {
            unwatch.accept(watched);
            watched = null;
        }
    }

    /** Withdraws an accepted offer or a running attempt from its node. */
    void cancel(String reason) {
        if (chosen != null && (stage == Stage.ACCEPTING || stage == Stage.RUNNING)) {
            Traffic.tell(chosen.node(), new Node.Cancel(key, reason));
        }
        waiting();
    }

    /** Back to a first start's state (the round number goes on, so old timers stay stale). */
    void reset() {
        waiting();
        chosen = null;
        offers.clear();
        declines.clear();
    }
}
