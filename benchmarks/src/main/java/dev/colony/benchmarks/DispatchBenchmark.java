package dev.colony.benchmarks;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Dispatch throughput of tiny {@code noop} tasks through the whole negotiation (job → task entity
 * → offers → accept → lease → run → report), beside the raw rate of Akka asks to an echo actor in
 * the same actor system: with the same concurrency (1,000 in flight) and one at a time. The ratios
 * are the figures to watch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Xmx6g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DispatchBenchmark {

    /** Tasks per job, and asks in flight per invocation of the raw benchmark. */
    static final int BATCH = 1000;

    @Param({"least-loaded"})
    public String policy;

    private Colony colony;
    private ActorRef<Echo> echo;
    private final AtomicLong jobs = new AtomicLong();
    private List<TaskSpec> tasks;

    /** A request to the echo actor. */
    public record Echo(long n, ActorRef<Long> replyTo) {
    }

    @Setup(Level.Trial)
    public void start() {
        colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.placement.policy = \"" + policy + "\"\nakka.loglevel = WARNING\ncolony.persistence.journal = memory")));
        Behavior<Echo> behavior = Behaviors.receiveMessage(m -> {
            m.replyTo().tell(m.n());
            return Behaviors.same();
        });
        echo = colony.system().systemActorOf(behavior, "echo", Props.empty());
        tasks = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            tasks.add(TaskSpec.of("t" + i, "noop", Map.of()));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        colony.close();
    }

    /**
     * One job of {@link #BATCH} independent noop tasks; the score is tasks per second. A minute of
     * warm-up, as {@link DurableDispatchBenchmark}'s: with 3 x 5 s it measured 8.6k tasks/s where the
     * durable memory journal measured 16.9k in the same run.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 6, time = 10)
    public JobResult dispatchNoopTasks() throws Exception {
        JobResult r = colony.submit(JobSpec.of("bench-" + jobs.incrementAndGet(), tasks)).toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        if (!r.succeeded()) {
            throw new IllegalStateException("benchmark job " + r.outcome() + ": " + r.reason());
        }
        return r;
    }

    /** One ask at a time to an echo actor: the latency-bound round-trip rate. */
    @Benchmark
    public long rawAskSequential() throws Exception {
        return AskPattern.<Echo, Long>ask(echo, r -> new Echo(1, r), Duration.ofSeconds(30), colony.system().scheduler())
                .toCompletableFuture().get();
    }

    /** {@link #BATCH} concurrent asks to an echo actor; the score is round trips per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rawAskRoundTrips() {
        CompletableFuture<?>[] replies = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            long n = i;
            replies[i] = AskPattern.<Echo, Long>ask(echo, r -> new Echo(n, r), Duration.ofSeconds(30),
                    colony.system().scheduler()).toCompletableFuture();
        }
        CompletableFuture.allOf(replies).join();
        return replies.length;
    }
}
