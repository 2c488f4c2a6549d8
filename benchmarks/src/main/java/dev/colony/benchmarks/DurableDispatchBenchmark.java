package dev.colony.benchmarks;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Durable dispatch: the same tiny {@code noop} tasks through the whole negotiation, with every job
 * and task event journalled (two task events and one job event per task, batched), on the in-memory
 * journal, on H2 in a file and on PostgreSQL (COLONY_POSTGRES_URL / _USER / _PASSWORD). The fork
 * gets 6 GiB because the in-memory journal keeps every event: with 2 GiB, long runs of it
 * measured the garbage collector. A minute of warm-up: on two cores the JIT compilers compete with
 * the runtime, and with 2 x 5 s the measured iterations still rose from ~9k to ~13k tasks/s (H2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Xmx6g"})
@Warmup(iterations = 6, time = 10)
@Measurement(iterations = 5, time = 10)
public class DurableDispatchBenchmark {

    /** Tasks per job. */
    static final int BATCH = 1000;

    @Param({"memory", "h2", "postgres"})
    public String journal;

    /** The learner (on by default, as for users: its searches take up to a quarter of one core). */
    @Param({"on"})
    public String learner;

    private Colony colony;
    private TempJournal dir;
    private final AtomicLong jobs = new AtomicLong();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private List<TaskSpec> tasks;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = new TempJournal();
        colony = Colony.start(dir.settings(journal, "colony.learner.enabled = " + learner));
        tasks = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            tasks.add(TaskSpec.of("t" + i, "noop", Map.of()));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        colony.close();
        dir.delete();
    }

    /** One job of {@link #BATCH} independent noop tasks; the score is tasks per second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public JobResult dispatchDurableNoopTasks() throws Exception {
        JobResult r = colony.submit(JobSpec.of("bench-" + run + "-" + jobs.incrementAndGet(), tasks))
                .toCompletableFuture().get(300, TimeUnit.SECONDS);
        if (!r.succeeded()) {
            throw new IllegalStateException("benchmark job " + r.outcome() + ": " + r.reason());
        }
        return r;
    }
}
