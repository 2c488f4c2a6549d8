package dev.colony.actors.learner;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.JournalGuard;
import dev.colony.actors.monitor.Feedback;
import dev.colony.actors.monitor.FeedbackIntake;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.PolicyUpdate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The learner (a cluster singleton, event-sourced under {@link #PERSISTENCE_ID}): takes every
 * node's feedback from the monitors (reliable delivery; a batch is confirmed once journalled, so
 * none is lost when the learner restarts or moves), keeps the performance model and the recent
 * jobs, and every {@code evolve-after-jobs} jobs runs a genetic search ({@link Search}) on its own
 * thread at a low CPU priority ({@link Niceness}; where that cannot be set, it rests as it goes
 * instead, {@link DutyCycle}), replaying those jobs in the simulator.
 * A candidate clearly better there goes on trial as a canary on a slice of live jobs;
 * {@link Canary} promotes or rolls it back on the live measurements. Deployments and run-time
 * estimates go to every process through {@code publish}.
 *
 * <p>Journalled: {@link LearnerEvent}s, with a snapshot every {@code snapshot-every} events; the
 * events before the older of the two snapshots kept are deleted, so its journal stays bounded. A
 * search in progress is not: a learner that restarts mid-search starts it again, from the same
 * generation and seed. A failed journal write restarts the learner with back-off; the batch it was
 * writing stays unconfirmed, so its monitor sends it again.
 */
public final class Learner extends EventSourcedBehavior<Learner.Command, LearnerEvent, LearnerState> {

    /** The learner's journal. */
    public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("colony-learner");

    /** What the learner understands. */
    public interface Command extends CborSerializable {
    }

    /** Asks for the learner's state. */
    public record GetView(ActorRef<LearnerView> replyTo) implements Command {
    }

    /**
     * Puts {@code genome} on trial as the next version (an operator's candidate); answered with the
     * version, or an error while another candidate is on trial.
     */
    public record TryCandidate(PolicyGenome genome, String reason, ActorRef<StatusReply<Long>> replyTo)
            implements Command {
    }

    private record Delivered(ConsumerController.Delivery<Feedback> delivery)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record SearchDone(LearnerEvent.Searched result, Throwable error)
            implements Command, NoSerializationVerificationNeeded {
    }

    private enum PublishTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /**
     * Creates the learner.
     *
     * @param nodes     the nodes known now (the cluster a search simulates)
     * @param base      the built-in policy, version 0
     * @param snapshots whether the journal has a snapshot store
     * @param publish   hands a deployment and estimates to every process (called on the learner's thread)
     */
    public static Behavior<Command> create(LearnerSettings settings, Supplier<List<NodeDescriptor>> nodes,
                                           PlacementPolicy base, boolean snapshots, InstantSource clock,
                                           Consumer<PolicyUpdate> publish) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorRef<ConsumerController.Delivery<Feedback>> adapter =
                    ctx.messageAdapter(ConsumerController.deliveryClass(), Delivered::new);
            ctx.spawn(FeedbackIntake.create(adapter), "feedback");
            timers.startTimerWithFixedDelay(PublishTick.INSTANCE, settings.publishEvery());
            return new Learner(ctx, timers, settings, new Search(settings, nodes, base, clock), snapshots, clock,
                    publish);
        }));
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final LearnerSettings settings;
    private final Search search;
    private final boolean snapshots;
    private final InstantSource clock;
    private final Consumer<PolicyUpdate> publish;
    private ExecutorService searchThread; // created on first use: a restart shuts it down
    private volatile boolean niced; // the search thread runs at colony.learner.search-nice
    private boolean searching;
    private int searchAgainAfter; // jobs since the last search; raised after a failed search
    private boolean estimatesChanged;
    // The feedback event onDelivered applied to which state, and the result: its event handler reuses it.
    private LearnerEvent applied;
    private LearnerState appliedTo;
    private LearnerState afterApplied;

    private Learner(ActorContext<Command> context, TimerScheduler<Command> timers, LearnerSettings settings,
                    Search search, boolean snapshots, InstantSource clock, Consumer<PolicyUpdate> publish) {
        super(PERSISTENCE_ID, JournalGuard.RESTART_AFTER_JOURNAL_FAILURE);
        this.context = context;
        this.timers = timers;
        this.settings = settings;
        this.search = search;
        this.snapshots = snapshots;
        this.clock = clock;
        this.publish = publish;
    }

    @Override
    public LearnerState emptyState() {
        return LearnerState.initial(settings.decay());
    }

    @Override
    public EventHandler<LearnerState, LearnerEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> e == applied && s == appliedTo ? afterApplied
                : s.apply(e, settings.window(), settings.maxReplayTasks()));
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return snapshots ? RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2).withDeleteEventsOnSnapshot()
                : RetentionCriteria.disabled();
    }

    @Override
    public SignalHandler<LearnerState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    context.getLog().info("learner recovered: generation {}, incumbent v{}, canary {}",
                            state.generation(), state.deployment().incumbent(),
                            state.deployment().hasCanary() ? "v" + state.deployment().canary() : "none");
                    publishNow(state);
                    maybeSearch(state);
                })
                .onSignal(PostStop.instance(), state -> stopSearching())
                .onSignal(PreRestart.instance(), state -> stopSearching())
                .build();
    }

    @Override
    public CommandHandler<Command, LearnerEvent, LearnerState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Delivered.class, this::onDelivered)
                .onCommand(SearchDone.class, this::onSearchDone)
                .onCommand(GetView.class, (s, m) -> {
                    m.replyTo().tell(LearnerView.of(s, searching, settings.objective()));
                    return Effect().none();
                })
                .onCommand(TryCandidate.class, this::onTryCandidate)
                .onCommand(PublishTick.class, (s, m) -> {
                    if (estimatesChanged) {
                        publishNow(s);
                    }
                    return Effect().none();
                })
                .build();
    }

    /**
     * Journals a batch, and with it the canary's verdict when the batch makes the evidence enough;
     * confirms the batch once written, then publishes and searches as the new state calls for.
     */
    private Effect<LearnerEvent, LearnerState> onDelivered(LearnerState state, Delivered m) {
        Feedback f = m.delivery().message();
        List<LearnerEvent> events = new ArrayList<>();
        events.add(new LearnerEvent.FeedbackApplied(f));
        LearnerState after = state.apply(events.getFirst(), settings.window(), settings.maxReplayTasks());
        applied = events.getFirst(); // the event handler applies it to the same state next: once is enough
        appliedTo = state;
        afterApplied = after;
        if (after.deployment().hasCanary() && !f.jobs().isEmpty()) {
            long version = after.deployment().canary();
            Canary.judge(after.trial(), settings).ifPresent(v -> {
                context.getLog().info("policy v{} {}: {}", version, v.promote() ? "promoted" : "rolled back", v.reason());
                events.add(new LearnerEvent.CanaryEnded(version, v.promote(), v.live(), v.reason(), clock.millis()));
            });
        }
        return Effect().persist(events).thenRun(s -> {
            m.delivery().confirmTo().tell(ConsumerController.confirmed());
            estimatesChanged |= !f.attempts().isEmpty();
            if (events.size() > 1) {
                publishNow(s);
            }
            maybeSearch(s);
        });
    }

    private void maybeSearch(LearnerState state) {
        if (searching || state.deployment().hasCanary() || state.recent().isEmpty()
                || state.jobsSinceSearch() < Math.max(settings.evolveAfterJobs(), searchAgainAfter) || !search.ready()) {
            return;
        }
        searching = true;
        if (searchThread == null) {
            ThreadFactory named = Thread.ofPlatform().daemon().name("colony-learner-search").factory();
            int nice = settings.searchNice();
            searchThread = Executors.newSingleThreadExecutor(r -> named.newThread(() -> {
                // Threads the search starts inherit it (GeneticSearch's pool, colony.learner.threads > 1).
                if (nice > 0) {
                    Optional<String> failed = Niceness.lowerCurrentThread(nice);
                    failed.ifPresent(why -> LoggerFactory.getLogger(Learner.class).warn("colony.learner.search-nice = "
                            + "{} not applied; the search keeps to colony.learner.search-share instead: {}", nice, why));
                    niced = failed.isEmpty();
                }
                r.run();
            }));
        }
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> search.run(state, niced ? 1 : settings.searchShare()),
                searchThread), SearchDone::new);
    }

    private void stopSearching() {
        if (searchThread != null) {
            searchThread.shutdownNow();
            searchThread = null;
        }
        searching = false;
    }

    private Effect<LearnerEvent, LearnerState> onSearchDone(LearnerState state, SearchDone m) {
        searching = false;
        if (m.error() != null || m.result() == null) {
            context.getLog().warn("policy search failed; trying again after {} more jobs", settings.evolveAfterJobs(),
                    m.error());
            searchAgainAfter = state.jobsSinceSearch() + settings.evolveAfterJobs();
            return Effect().none();
        }
        searchAgainAfter = 0;
        LearnerEvent.Searched r = m.result();
        List<LearnerEvent> events = new ArrayList<>(List.of(r));
        double bar = r.incumbentFitness() * (1 - settings.minImprovement());
        if (!state.deployment().hasCanary() && r.bestFitness() < bar) {
            events.add(new LearnerEvent.CanaryStarted(state.latestVersion() + 1, r.best(), settings.canarySlice(),
                    r.bestFitness(), r.incumbentFitness(), String.format(Locale.ROOT, "simulated objective %.4g vs the "
                    + "incumbent's %.4g (%+.1f%%) on %d recorded jobs", r.bestFitness(), r.incumbentFitness(),
                    100 * (r.bestFitness() / r.incumbentFitness() - 1), r.jobs()), clock.millis()));
        }
        context.getLog().info("searched generations {}..{} ({} ms dispatch overhead per task): best {} vs incumbent {}{}",
                state.generation() + 1, state.generation() + r.bestPerGeneration().size(),
                String.format(Locale.ROOT, "%.1f", state.dispatchMs()), r.bestFitness(), r.incumbentFitness(),
                events.size() > 1 ? "; candidate v" + (state.latestVersion() + 1) + " on trial" : "");
        return Effect().persist(events).thenRun(this::publishNow);
    }

    private Effect<LearnerEvent, LearnerState> onTryCandidate(LearnerState state, TryCandidate m) {
        if (state.deployment().hasCanary()) {
            m.replyTo().tell(StatusReply.error("policy v" + state.deployment().canary() + " is on trial; try again "
                    + "when it is promoted or rolled back"));
            return Effect().none();
        }
        long version = state.latestVersion() + 1;
        return Effect().persist(new LearnerEvent.CanaryStarted(version, m.genome(), settings.canarySlice(), Double.NaN,
                Double.NaN, "tried by an operator: " + m.reason(), clock.millis())).thenRun(s -> {
                    publishNow(s);
                    m.replyTo().tell(StatusReply.success(version));
                });
    }

    private void publishNow(LearnerState state) {
        estimatesChanged = false;
        publish.accept(new PolicyUpdate(state.deployment(), PerformanceModel.of(state.model()).estimates()));
    }
}
