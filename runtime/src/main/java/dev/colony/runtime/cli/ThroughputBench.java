package dev.colony.runtime.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import dev.colony.actors.Traffic;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code colony bench throughput}: tiny {@code noop} tasks through the whole runtime (job and task
 * entities journalled, negotiation, lease, run, report) on clusters of different sizes, in one run:
 * for each size, this process is the first member (it submits the jobs and hosts one node) and the
 * others are {@code colony node} processes on 127.0.0.1 that join it. Each size gets warm-up runs
 * for at least {@code warmUpSeconds} (on two cores the JIT compilers take over a minute to settle:
 * runs of 100,000 tasks rose from 8,300 to 12,600 tasks/s one after another), then {@code runs}
 * measured runs of {@code tasks} tasks in jobs of {@code jobSize}, all submitted at once; a run's
 * rate is its tasks over the time from the first submit to the last result.
 */
final class ThroughputBench {

    private static final int STALL_REPORT_AFTER_S = 30;

    private final ConfigOptions config;
    private final int tasks;
    private final int jobSize;
    private final int runs;
    private final String cpus;
    private final int warmUpSeconds;

    ThroughputBench(ConfigOptions config, int tasks, int jobSize, int runs, String cpus, int warmUpSeconds) {
        if (warmUpSeconds < 0) {
            throw new IllegalArgumentException("--warm-up-seconds = " + warmUpSeconds + " must be at least 0");
        }
        if (tasks < 1 || jobSize < 1 || runs < 1) {
            throw new IllegalArgumentException("--tasks = " + tasks + ", --job-size = " + jobSize + " and --runs = "
                    + runs + " must all be at least 1");
        }
        this.config = config;
        this.tasks = tasks;
        this.jobSize = jobSize;
        this.runs = runs;
        this.cpus = cpus;
        this.warmUpSeconds = warmUpSeconds;
    }

    /** Measures each cluster size of {@code sizes}, printing every run, the medians and their ratio to the first. */
    int run(List<Integer> sizes, PrintStream out) throws Exception {
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("--nodes = " + size + " must be at least 1");
            }
        }
        Path dir = Files.createTempDirectory("colony-throughput");
        if (sizes.size() > 1 && warmUpSeconds > 0) {
            // This process is b1 of every size, and its JIT and heap carry over from one size to the
            // next: warmed only by the first size's warm-up, the second size measured 40 % faster than
            // the same size measured first. Warm it first on a cluster that is not measured.
            out.printf(Locale.ROOT, "this process (b1 of every size) first warms up on a 1-node cluster that is "
                    + "not measured, so that no size runs on a colder JIT than another:%n");
            measure(1, dir.resolve("warm-up"), out, false);
        }
        double[] medians = new double[sizes.size()];
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            medians[i] = measure(size, dir.resolve("cluster-" + size), out, true);
        }
        out.printf(Locale.ROOT, "median tasks/s:%n");
        for (int i = 0; i < sizes.size(); i++) {
            out.printf(Locale.ROOT, "  %d node%s: %,.0f tasks/s = %.2fx %d node%s%n", sizes.get(i),
                    sizes.get(i) == 1 ? " " : "s", medians[i], medians[i] / medians[0], sizes.getFirst(),
                    sizes.getFirst() == 1 ? "" : "s");
        }
        return ColonyCli.OK;
    }

    /** Runs until {@code warmUpSeconds} have passed (at least one run unless 0), printing each run's rate. */
    private void warmUp(Colony colony, PrintStream out) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmUpSeconds);
        List<String> rates = new ArrayList<>();
        long started = System.nanoTime();
        while (warmUpSeconds > 0 && (rates.isEmpty() || System.nanoTime() < until)) {
            rates.add(String.format(Locale.ROOT, "%,.0f", once(colony, out).rate()));
        }
        if (!rates.isEmpty()) {
            out.printf(Locale.ROOT, "  warm-up: %d run%s in %d s: %s tasks/s%n", rates.size(),
                    rates.size() == 1 ? "" : "s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                    String.join(", ", rates));
        }
    }

    /** Starts a cluster of {@code size}, warms it up and, if {@code measured}, returns the median of its runs. */
    private double measure(int size, Path dir, PrintStream out, boolean measured) throws Exception {
        int seed = freePort();
        config.set("colony.port", seed);
        config.set("colony.node.name", "b1");
        config.set("colony.node.cpus", cpus);
        config.set("colony.persistence.data-dir", dir.resolve("b1").toString());
        // In a cluster, this process serves its H2 journal to the others (colony.persistence.h2.serve-port).
        config.set("colony.persistence.h2.serve-port", size > 1 ? 0 : -1);
        ColonySettings settings = config.settings();
        if (size > 1 && settings.persistence().journal().kind() == JournalSettings.Kind.MEMORY) {
            throw new IllegalArgumentException("--nodes " + size + ": members of one cluster share a journal; use "
                    + "--journal h2 (this process's, served to the others) or postgres");
        }
        // Each cluster size is a new cluster with a journal of its own, as H2's data directory is:
        // in a schema of its own, so it does not start with the remembered shards of the last one.
        String schema = settings.persistence().journal().kind() == JournalSettings.Kind.POSTGRES
                ? BenchSchema.create(settings.persistence().journal(), "colony_bench_" + size) : null;
        if (schema != null) {
            config.set("colony.persistence.postgres.url", BenchSchema.url(settings.persistence().journal(), schema));
            settings = config.settings();
        }
        try {
            return measure(size, dir, settings, seed, out, measured);
        } finally {
            if (schema != null) {
                BenchSchema.drop(settings.persistence().journal(), schema);
            }
        }
    }

    private double measure(int size, Path dir, ColonySettings settings, int seed, PrintStream out, boolean measured)
            throws Exception {
        List<Process> others = new ArrayList<>();
        Thread stopOthers = new Thread(() -> others.forEach(Process::destroy)); // when this one is stopped
        Runtime.getRuntime().addShutdownHook(stopOthers);
        try (Colony colony = Colony.start(settings)) {
            for (int n = 2; n <= size; n++) {
                others.add(node("b" + n, seed, dir, settings));
            }
            awaitNodes(colony, size, others, dir);
            out.printf(Locale.ROOT, "%d node%s (%s cpus each, %s journal): %,d noop tasks per run in jobs of %,d%n",
                    size, size == 1 ? "" : "s", cpus, settings.persistence().journal().kind().name().toLowerCase(
                            Locale.ROOT), tasks, jobSize);
            warmUp(colony, out);
            if (!measured) {
                return 0;
            }
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                Traffic.Counts before = traffic(colony, size);
                Run run = once(colony, out);
                rates[r] = run.rate();
                out.printf(Locale.ROOT, "  run %d: %,.0f tasks/s%n", r + 1, rates[r]);
                printTraffic(traffic(colony, size).minus(before), out);
                if (size > 1) { // a job's tiny tasks run in its process: this is how the jobs fell
                    out.printf(Locale.ROOT, "    tasks per node: %s%n", run.perNode().entrySet().stream().map(e ->
                            String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
                }
            }
            return SelfCommand.median(rates);
        } finally {
            for (Process p : others) {
                p.destroy(); // SIGTERM: it leaves the cluster
            }
            for (Process p : others) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopOthers);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** A run's tasks per second, and how many of its tasks each node ran. */
    private record Run(double rate, Map<String, Long> perNode) {
    }

    /** One run: every job submitted at once; tasks per second until the last ends. */
    private Run once(Colony colony, PrintStream out) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, CompletableFuture<JobResult>> results = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (int done = 0, j = 0; done < tasks; done += jobSize, j++) {
            List<TaskSpec> specs = new ArrayList<>();
            for (int t = 0; t < Math.min(jobSize, tasks - done); t++) {
                specs.add(TaskSpec.of("t" + t, "noop", Map.of()));
            }
            String id = "throughput-" + run + "-" + j;
            results.put(id, colony.submit(JobSpec.of(id, specs)).toCompletableFuture());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new));
        for (long ended = 0; !all.isDone(); ) {
            try {
                all.get(STALL_REPORT_AFTER_S, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long now = results.values().stream().filter(CompletableFuture::isDone).count();
                if (now == ended) {
                    reportStall(colony, results, out);
                }
                ended = now;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                break; // the join below reports it
            }
        }
        double rate = tasks / ((System.nanoTime() - t0) / 1e9);
        Map<String, Long> perNode = new java.util.TreeMap<>();
        for (CompletableFuture<JobResult> f : results.values()) {
            JobResult r = f.join();
            if (!r.succeeded()) {
                throw new IllegalStateException("job " + r.jobId() + " " + r.outcome() + ": " + r.reason());
            }
            r.tasks().values().forEach(t -> perNode.merge(t.node(), 1L, Long::sum));
        }
        return new Run(rate, perNode);
    }

    /** The task protocol messages every member has sent so far (each member's {@link Traffic} counts, summed). */
    private static Traffic.Counts traffic(Colony colony, int size) {
        ActorSystem<?> system = colony.system();
        Duration wait = Duration.ofSeconds(10);
        try {
            Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                    system.receptionist(), r -> Receptionist.find(Traffic.SERVICE_KEY, r), wait, system.scheduler())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Traffic.Counts sum = Traffic.Counts.NONE;
            for (ActorRef<Traffic.Ask> probe : listing.getServiceInstances(Traffic.SERVICE_KEY)) {
                sum = sum.plus(AskPattern.<Traffic.Ask, Traffic.Counts>ask(probe, Traffic.Ask::new, wait,
                        system.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS));
            }
            return listing.getServiceInstances(Traffic.SERVICE_KEY).size() < size ? null : sum;
        } catch (Exception e) {
            return null; // a member did not answer: the run's messages are not printed
        }
    }

    /** Prints a run's task protocol messages per task: local, cross-process, and the latter by kind. */
    private void printTraffic(Traffic.Counts run, PrintStream out) {
        if (run == null || run.remote() < 0) {
            out.printf(Locale.ROOT, "    messages per task: not known (a member did not answer)%n");
            return;
        }
        String kinds = run.remoteKinds().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
                .reversed()).limit(6).map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                (double) e.getValue() / tasks)).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "    messages per task (all members): %.2f local, %.2f cross-process%s%n",
                (double) run.local() / tasks, (double) run.remote() / tasks, kinds.isEmpty() ? "" : " (" + kinds + ")");
    }

    /** No job ended for a while: prints where the unfinished ones stand (task counts by state). */
    private static void reportStall(Colony colony, Map<String, CompletableFuture<JobResult>> results, PrintStream out) {
        List<String> unfinished = results.entrySet().stream().filter(e -> !e.getValue().isDone()).map(Map.Entry::getKey)
                .toList();
        out.printf(Locale.ROOT, "  no job ended for %d s; %d of %d unfinished:%n", STALL_REPORT_AFTER_S, unfinished.size(),
                results.size());
        for (String id : unfinished.subList(0, Math.min(5, unfinished.size()))) {
            try {
                JobStatus s = colony.progress(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
                Map<TaskSummary.TaskState, Long> states = new TreeMap<>(s.counts() == null ? Map.of() : s.counts());
                states.values().removeIf(n -> n == 0);
                out.printf(Locale.ROOT, "    %s: %s %s%n", id, s.phase(), states);
            } catch (Exception e) {
                out.printf(Locale.ROOT, "    %s: no status (%s)%n", id, e);
            }
        }
    }

    private Process node(String name, int seed, Path dir, ColonySettings settings) throws IOException {
        List<String> args = new ArrayList<>(List.of("node", "--name", name, "--seed", "127.0.0.1:" + seed,
                "--cpus", cpus, "--data-dir", dir.resolve(name).toString()));
        JournalSettings journal = settings.persistence().journal();
        if (journal.kind() == JournalSettings.Kind.POSTGRES) { // the first member's (its schema)
            args.addAll(List.of("--set", "colony.persistence.postgres.url=" + journal.url()));
        } else if (journal.kind() == JournalSettings.Kind.H2) { // the one the first member serves
            args.addAll(List.of("--set", "colony.persistence.h2.served-by=" + settings.persistence().dataDir()));
        }
        if (config.journal != null) {
            args.addAll(List.of("--journal", config.journal));
        }
        if (config.policy != null) {
            args.addAll(List.of("--policy", config.policy));
        }
        config.overrides.forEach(o -> args.addAll(List.of("--set", o)));
        Files.createDirectories(dir);
        return new ProcessBuilder(SelfCommand.of(args.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static void awaitNodes(Colony colony, int size, List<Process> others, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (colony.nodes().size() < size) {
            for (Process p : others) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a node process exited with " + p.exitValue() + "; see its log in "
                            + dir);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + colony.nodes().stream().map(NodeDescriptor::name).toList()
                        + " of " + size + " nodes joined within 120 s; see the logs in " + dir);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
