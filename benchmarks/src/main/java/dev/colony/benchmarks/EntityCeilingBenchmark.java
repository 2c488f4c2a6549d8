package dev.colony.benchmarks;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.CborSerializable;
import dev.colony.persistence.JournalSchema;
import dev.colony.runtime.ColonySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * once it has answered. {@code plain}: an ordinary actor. {@code recover}: an event-sourced
 * entity that recovers (empty journal) and answers without writing. {@code persist1} /
 * {@code persist2}: it also writes one event, or two events one after the other (a Colony task
 * writes AttemptStarted, then Succeeded). Same configuration and journals as Colony (memory, H2
 * file, PostgreSQL via COLONY_POSTGRES_URL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class EntityCeilingBenchmark {

    /** Entities per invocation, all started at once. */
    static final int BATCH = 1000;

    @Param({"memory", "h2", "postgres"})
    public String journal;

    @Param({"plain", "recover", "persist1", "persist2"})
    public String entity;

    private ActorSystem<Spawner.Run> system;
    private Path dataDir;
    private long next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dataDir = Files.createTempDirectory("colony-ceiling-");
        ColonySettings settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = %s, data-dir = "%s" }
                akka.loglevel = WARNING
                akka.actor.provider = local
                """.formatted(journal, dataDir.toString().replace('\\', '/'))));
        system = ActorSystem.create(Spawner.create(entity), "ceiling", settings.config());
        JournalSchema.prepare(system, settings.persistence().journal(), 1, Duration.ofSeconds(1), Duration.ofSeconds(30),
                msg -> { });
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
                int[] pending = {0};
                ActorRef<Integer>[] waiter = new ActorRef[1];
                return Behaviors.receiveMessage(msg -> {
                    if (msg instanceof Run r) {
                        pending[0] = r.count();
                        waiter[0] = r.replyTo();
                        for (long i = r.first(); i < r.first() + r.count(); i++) {
                            String id = "e-" + i;
                            ActorRef<Cmd> child = ctx.spawnAnonymous(child(entity, id));
                            child.tell(new Cmd(self.narrow()));
                        }
                    } else if (--pending[0] == 0) {
                        waiter[0].tell(BATCH);
                    }
                    return Behaviors.same();
                });
            }).narrow();
        }

        private static Behavior<Cmd> child(String entity, String id) {
            return switch (entity) {
                case "plain" -> Behaviors.receiveMessage(c -> {
                    c.replyTo().tell(Done.INSTANCE);
                    return Behaviors.stopped();
                });
                case "recover" -> Entity.create(id, 0);
                case "persist1" -> Entity.create(id, 1);
                case "persist2" -> Entity.create(id, 2);
                default -> throw new IllegalArgumentException("entity: " + entity);
            };
        }
    }

    /** The command every child gets. */
    record Cmd(ActorRef<Done> replyTo) implements CborSerializable {
    }

    /** A child's answer. */
    enum Done { INSTANCE }

    /** The event an entity writes. */
    public record Happened(int n) implements CborSerializable {
    }

    /** An event-sourced child writing {@code events} events one after the other, then answering and stopping. */
    static final class Entity extends EventSourcedBehavior<Cmd, Happened, Integer> {

        private final int events;
        private final ActorRef<Cmd> self;

        private Entity(ActorRef<Cmd> self, String id, int events) {
            super(PersistenceId.of("Ceiling", id));
            this.self = self;
            this.events = events;
        }

        static Behavior<Cmd> create(String id, int events) {
            return Behaviors.setup(ctx -> new Entity(ctx.getSelf(), id, events));
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
