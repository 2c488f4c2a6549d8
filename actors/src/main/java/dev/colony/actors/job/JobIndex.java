package dev.colony.actors.job;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
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
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;

/**
 * The list of jobs ({@code GET /jobs}, {@code colony jobs}): a cluster singleton that job entities
 * tell when they are accepted and when they end, journalled so that it survives restarts. It keeps
 * every running job and the latest {@code keep} ended ones. A report can be lost between members:
 * a job whose end was not heard is asked for its status after {@code checkEvery}, and a job whose
 * start was not heard is listed when it ends. Rejected submissions are not listed (their id may be
 * another job's); their submitter has the reason.
 *
 * <p>Journalled: a {@link RecordedAll} event per batch of records ({@link RecordInbox}), with a
 * snapshot every 1,000 events (older events deleted) when the journal has a snapshot store.
 */
public final class JobIndex extends EventSourcedBehavior<JobIndex.Command, JobIndex.Event, JobList> {

    /** The index's persistence id. */
    public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("colony-job-index");

    /** How many jobs a check asks about at once. */
    static final int CHECK_BATCH = 100;

    /**
     * How the index keeps its list ({@code colony.jobs.list.*}).
     *
     * @param keep       ended jobs kept (the oldest are dropped)
     * @param checkEvery how long a running job goes unheard before the index asks it
     * @param snapshots  whether the journal has a snapshot store
     */
    public record Settings(int keep, Duration checkEvery, boolean snapshots) {
        /** Checks the values, naming the key. */
        public Settings {
            if (keep < 0) {
                throw new IllegalArgumentException("colony.jobs.list.keep = " + keep + " must be >= 0");
            }
            if (checkEvery.isNegative() || checkEvery.isZero()) {
                throw new IllegalArgumentException("colony.jobs.list.check-every = " + checkEvery + " must be positive");
            }
        }
    }

    /** What the index understands. */
    public sealed interface Command extends CborSerializable {
    }

    /** A job was accepted, or ended (told by its entity). */
    public record Record(JobEntry entry) implements Command {
    }

    /** Asks for up to {@code limit} jobs, newest first, in {@code phase} (null: any). */
    public record ListJobs(JobStatus.Phase phase, int limit, ActorRef<Listing> replyTo) implements Command {
    }

    /**
     * Asks whether the index lists job {@code jobId} (running, or among the latest {@code keep}
     * ended): lets the API answer an unknown id without starting a job entity for it.
     */
    public record Lookup(String jobId, ActorRef<Boolean> replyTo) implements Command {
    }

    /** The answer to ListJobs, with how many jobs the index holds in each phase. */
    public record Listing(List<JobEntry> jobs, long running, long succeeded, long failed) implements CborSerializable {
    }

    /** What the index journals. */
    public sealed interface Event extends CborSerializable {
    }

    /** The index learned {@code entry}. */
    public record Recorded(JobEntry entry) implements Event {
    }

    /** The index learned {@code entries}, in order: one batch of records, one journal row. */
    public record RecordedAll(List<JobEntry> entries) implements Event {
        /** Copies the entries. */
        public RecordedAll {
            entries = List.copyOf(entries);
        }
    }

    private enum Check implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** Records batched by the {@link RecordInbox}, journalled in one write. */
    record Records(List<JobEntry> entries) implements Command, NoSerializationVerificationNeeded {
    }

    /** A query that waited in the {@link RecordInbox} behind records told before it. */
    record Waited(Command query) implements Command, NoSerializationVerificationNeeded {
    }

    /** The index is ready for the next batch of records. */
    enum RecordsDone implements Command, NoSerializationVerificationNeeded { INSTANCE }

    /** A running job's status, null when it did not answer. */
    private record Checked(JobEntry entry, JobStatus status) implements Command, NoSerializationVerificationNeeded {
    }

    /** Creates the index; it asks job {@code id} through {@code jobs}. */
    public static Behavior<Command> create(Settings settings, Function<String, RecipientRef<Job.Command>> jobs,
                                           InstantSource clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Check.INSTANCE, settings.checkEvery());
            return RecordInbox.around(new JobIndex(ctx, settings, jobs, clock));
        }));
    }

    private final ActorContext<Command> context;
    private final Settings settings;
    private final Function<String, RecipientRef<Job.Command>> jobs;
    private final InstantSource clock;

    private JobIndex(ActorContext<Command> context, Settings settings,
                     Function<String, RecipientRef<Job.Command>> jobs, InstantSource clock) {
        super(PERSISTENCE_ID, JournalGuard.RESTART_AFTER_JOURNAL_FAILURE);
        this.context = context;
        this.settings = settings;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public JobList emptyState() {
        return JobList.EMPTY;
    }

    @Override
    public EventHandler<JobList, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> switch (e) {
            case Recorded r -> s.record(r.entry(), settings.keep());
            case RecordedAll r -> s.record(r.entries(), settings.keep());
        });
    }

    @Override
    public SignalHandler<JobList> signalHandler() {
        // Recovered, at start or after a failed write restarted it: ready for the inbox's next batch.
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(),
                s -> context.getSelf().tell(RecordsDone.INSTANCE)).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return settings.snapshots() ? RetentionCriteria.snapshotEvery(1_000, 2).withDeleteEventsOnSnapshot()
                : RetentionCriteria.disabled();
    }

    @Override
    public CommandHandler<Command, Event, JobList> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Records.class, (s, m) -> Effect().persist(new RecordedAll(m.entries()))
                        .thenRun(after -> context.getSelf().tell(RecordsDone.INSTANCE)))
                .onCommand(ListJobs.class, (s, m) -> {
                    m.replyTo().tell(new Listing(s.newest(m.phase(), m.limit()), s.count(JobStatus.Phase.RUNNING),
                            s.count(JobStatus.Phase.SUCCEEDED), s.count(JobStatus.Phase.FAILED)));
                    return Effect().none();
                })
                .onCommand(Lookup.class, (s, m) -> {
                    m.replyTo().tell(s.lists(m.jobId()));
                    return Effect().none();
                })
                .onCommand(Check.class, (s, m) -> onCheck(s))
                .onCommand(Checked.class, (s, m) -> m.status() != null && m.status().phase() != JobStatus.Phase.RUNNING
                        && m.status().phase() != JobStatus.Phase.QUEUED && m.status().phase() != JobStatus.Phase.UNKNOWN
                        ? Effect().persist(new Recorded(m.entry().as(m.status()))) : Effect().none())
                .build();
    }

    /** Asks the oldest running jobs that have run longer than checkEvery how they are. */
    private Effect<Event, JobList> onCheck(JobList state) {
        long before = clock.millis() - settings.checkEvery().toMillis();
        state.jobs().stream().filter(j -> !j.ended() && j.acceptedAtMs() < before).limit(CHECK_BATCH).forEach(j ->
                context.ask(JobStatus.class, jobs.apply(j.id()), settings.checkEvery(),
                        r -> new Job.GetStatus(r, true), // its phase, not each task
                        (status, failure) -> new Checked(j, status))); // no answer: asked again next time
        return Effect().none();
    }
}
