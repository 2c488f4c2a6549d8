package dev.colony.benchmarks;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.Recovery;
import dev.colony.actors.CborSerializable;
import dev.colony.persistence.JournalSchema;
import dev.colony.runtime.ColonySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling Akka 2.8.6 itself puts on one-entity-per-task designs, with no Colony code in the
 * path: 1,000 short-lived children per invocation, each started, sent one command, and stopped
 * once it has answered.
 * <ul>
 * <li>{@code plain}: an ordinary actor;
 * <li>{@code recover}: an event-sourced entity that recovers (empty journal, no snapshot) and
 *     answers without writing;
 * <li>{@code persist2}: it also writes two events one after the other, as a Colony task writes
 *     AttemptStarted, then Succeeded ({@code -p entity=persist1} writes one);
 * <li>{@code fresh2}: persist2 without recovery (an entity known to have an empty journal);
 * <li>{@code batched}: plain children whose completions one event-sourced ledger journals, one
 *     write in flight at a time (what journalling tasks through their job would cost).
 * </ul>
 * Same configuration and journals as Colony (memory, H2 file, PostgreSQL via COLONY_POSTGRES_URL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Xmx6g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class EntityCeilingBenchmark {

    /** Entities per invocation, all started at once. */
    static final int BATCH = 1000;

    @Param({"memory", "h2", "postgres"})
    public String journal;

    @Param({"plain", "recover", "persist2", "fresh2", "batched"})
    public String entity;

    private ActorSystem<Spawner.Run> system;
    private TempJournal dir;
    private long next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = new TempJournal();
        ColonySettings settings = dir.settings(journal, "akka.actor.provider = local");
        system = ActorSystem.create(Spawner.create(entity), "ceiling", settings.config());
        JournalSchema.prepare(system, settings.persistence().journal(), 1, Duration.ofSeconds(1), Duration.ofSeconds(30),
                msg -> { });
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        dir.delete();
    }

    /** Starts {@link #BATCH} entities and waits until every one has answered; score = entities per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Integer entityLifecycles() throws Exception {
        long first = next;
        next += BATCH;
        return AskPattern.<Spawner.Run, Integer>ask(system, r -> new Spawner.Run(first, BATCH, r),
                Duration.ofSeconds(120), system.scheduler()).toCompletableFuture().get(150, TimeUnit.SECONDS);
    }

    /** Spawns batches of children and answers once all of a batch have answered. */
    static final class Spawner {

        record Run(long first, int count, ActorRef<Integer> replyTo) {
        }

        static Behavior<Run> create(String entity) {
            return Behaviors.<Object>setup(ctx -> {
                ActorRef<Object> self = ctx.getSelf();
                ActorRef<Write> ledger = entity.equals("batched")
                        ? ctx.spawn(new Ledger("ledger-" + System.nanoTime()), "ledger") : null;
                int[] counts = new int[3]; // answered and not yet written, being written, finished
                ActorRef<Integer>[] waiter = new ActorRef[1];
                return Behaviors.receiveMessage(msg -> {
                    switch (msg) {
                        case Run r -> {
                            counts[2] = 0;
                            waiter[0] = r.replyTo();
                            for (long i = r.first(); i < r.first() + r.count(); i++) {
                                ctx.spawnAnonymous(child(entity, "e-" + i)).tell(new Cmd(self.narrow()));
                            }
                        }
                        case Done d when ledger == null -> counts[2]++;
                        case Done d -> counts[0]++;
                        case Written w -> {
                            counts[1] = 0;
                            counts[2] += w.count();
                        }
                        default -> throw new IllegalArgumentException(msg.toString());
                    }
                    if (ledger != null && counts[1] == 0 && counts[0] > 0) { // one write in flight at a time
                        counts[1] = counts[0];
                        counts[0] = 0;
                        ledger.tell(new Write(counts[1], self.narrow()));
                    }
                    if (counts[2] == BATCH) {
                        counts[2] = 0;
                        waiter[0].tell(BATCH);
                    }
                    return Behaviors.same();
                });
            }).narrow();
        }

        private static Behavior<Cmd> child(String entity, String id) {
            return switch (entity) {
                case "plain", "batched" -> Behaviors.receiveMessage(c -> {
                    c.replyTo().tell(Done.INSTANCE);
                    return Behaviors.stopped();
                });
                case "recover" -> Entity.create(id, 0, true);
                case "persist1" -> Entity.create(id, 1, true);
                case "persist2" -> Entity.create(id, 2, true);
                case "fresh2" -> Entity.create(id, 2, false);
                default -> throw new IllegalArgumentException("entity: " + entity);
            };
        }
    }

    /** The command every child gets. */
    record Cmd(ActorRef<Done> replyTo) implements CborSerializable {
    }

    /** A child's answer. */
    enum Done { INSTANCE }

    /** Asks the ledger to journal that {@code count} more children finished. */
    record Write(int count, ActorRef<Written> replyTo) implements CborSerializable {
    }

    /** The ledger's answer once the write is journalled. */
    record Written(int count) {
    }

    /** One event-sourced entity journalling its plain children's completions, a batch per write. */
    static final class Ledger extends EventSourcedBehavior<Write, Happened, Integer> {

        Ledger(String id) {
            super(PersistenceId.of("CeilingLedger", id));
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Write, Happened, Integer> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand((state, w) ->
                    Effect().persist(new Happened(w.count())).thenRun(s -> w.replyTo().tell(new Written(w.count()))));
        }

        @Override
        public EventHandler<Integer, Happened> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + e.n());
        }
    }

    /** The event an entity writes. */
    public record Happened(int n) implements CborSerializable {
    }

    /** An event-sourced child writing {@code events} events one after the other, then answering and stopping. */
    static final class Entity extends EventSourcedBehavior<Cmd, Happened, Integer> {

        private final int events;
        private final boolean recover;
        private final ActorRef<Cmd> self;

        private Entity(ActorRef<Cmd> self, String id, int events, boolean recover) {
            super(PersistenceId.of("Ceiling", id));
            this.self = self;
            this.events = events;
            this.recover = recover;
        }

        static Behavior<Cmd> create(String id, int events, boolean recover) {
            return Behaviors.setup(ctx -> new Entity(ctx.getSelf(), id, events, recover));
        }

        @Override
        public Recovery recovery() {
            return recover ? Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none()) // as Colony's tasks
                    : Recovery.disabled();
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Cmd, Happened, Integer> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::write);
        }

        private Effect<Happened, Integer> write(Integer state, Cmd cmd) {
            if (events == 0) {
                return Effect().stop().thenRun(s -> cmd.replyTo().tell(Done.INSTANCE));
            }
            if (state + 1 < events) {
                return Effect().persist(new Happened(state + 1)).thenRun(s -> self.tell(cmd));
            }
            return Effect().persist(new Happened(state + 1)).thenRun(s -> cmd.replyTo().tell(Done.INSTANCE))
                    .thenStop();
        }

        @Override
        public EventHandler<Integer, Happened> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> e.n());
        }
    }
}
