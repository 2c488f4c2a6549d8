package dev.colony.runtime.cli;

import dev.colony.actors.data.DataSettings;
import dev.colony.actors.policy.TaskOrdering;
import dev.colony.actors.sim.Cluster;
import dev.colony.actors.sim.GeneticSearch;
import dev.colony.actors.sim.Schedule;
import dev.colony.actors.sim.Scheduler;
import dev.colony.actors.sim.StgBenchmark;
import dev.colony.actors.sim.TaskGraph;
import dev.colony.actors.sim.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code colony bench schedule}: scheduling policies compared in the simulator. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.ScheduleCommand.class, BenchCommand.TransferCommand.class,
                BenchCommand.TransferPeerCommand.class, BenchCommand.ThroughputCommand.class,
                BenchCommand.ChaosCommand.class, BenchCommand.SoakCommand.class, BenchCommand.OverloadCommand.class})
final class BenchCommand {

    /** {@code colony bench schedule [--stg ROOT] [FILE...]}. */
    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = "Run every placement policy (and HEFT) in the workload simulator. With --stg: score them on "
                    + "the Standard Task Graph Set against its published optima (mean and worst makespan / optimum, "
                    + "graphs solved exactly) for each processor count. With files (.stg or HEFT-example JSON): "
                    + "print each makespan beside the lower bounds and the evolved plan's ratio to the best fixed "
                    + "policy; with --live, also run them on a real runtime and print the simulator's model error.")
    static final class ScheduleCommand implements Callable<Integer> {

        @Option(names = "--stg", paramLabel = "ROOT",
                description = "STG root holding 50/*.stg and optimal/Case50_P_OPT.csv (e.g. shared/workloads/stg)")
        Path stg;

        @Option(names = "--procs", split = ",", defaultValue = "2,4,8,16",
                description = "processor counts for --stg and for .stg files (default: ${DEFAULT-VALUE})")
        List<Integer> procs;

        @Option(names = "--nodes", paramLabel = "COUNTxCORES@SPEED,...",
                description = "the simulated nodes for WfCommons traces and .stg files, e.g. 2x4@1,2x4@2 (default for "
                        + ".stg: --procs single-core nodes; for traces: 4x4@1,2x4@2,2x4@4)")
        String nodes;

        @Option(names = "--bandwidth", defaultValue = "1e9",
                description = "bytes per second between two nodes (default: ${DEFAULT-VALUE})")
        double bandwidth;

        @Option(names = "--ordering", defaultValue = "fifo",
                description = "task ordering on the nodes: fifo, shortest-first, critical-path-first, priority")
        String ordering;

        @Option(names = "--seed", defaultValue = "42", description = "seed of the randomised policies")
        long seed;

        @Option(names = "--population", defaultValue = "150", description = "evolved: genomes per generation")
        int population;

        @Option(names = "--generations", defaultValue = "200", description = "evolved: generations per workload")
        int generations;

        @Option(names = "--threads", defaultValue = "2", description = "evolved: threads evaluating fitness")
        int threads;

        @Option(names = "--live", description = "also run each workload file on a real embedded runtime (spin tasks, "
                + "one fresh runtime per policy) and print the simulator's model error; keep the nodes' cores within "
                + "this machine's")
        boolean live;

        @Option(names = "--unit-ms", defaultValue = "10",
                description = "--live: milliseconds of spin at speed 1 per unit of a workload's run times (default: "
                        + "${DEFAULT-VALUE})")
        double unitMs;

        @Option(names = "--runs", defaultValue = "2",
                description = "--live: measured runs per policy on one runtime, after a warm-up and a calibration run; "
                        + "the last one counts (default: ${DEFAULT-VALUE})")
        int runs;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "workload files")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (stg == null && files.isEmpty()) {
                throw new IllegalArgumentException("give --stg ROOT or workload files");
            }
            List<Scheduler> schedulers = new ArrayList<>(Scheduler.builtIn(ordering(ordering), seed));
            schedulers.add(Scheduler.evolved(new GeneticSearch.Settings(population, generations, threads, seed)));
            PrintStream out = System.out;
            if (stg != null) {
                out.printf("STG 50-task graphs, makespan / optimum (best known where unsolved)%n");
                out.printf("%-34s %5s %7s %8s %8s %7s%n", "scheduler", "procs", "graphs", "mean", "worst", "exact");
                for (int p : procs) {
                    for (StgBenchmark.Score s : StgBenchmark.run(stg, p, schedulers)) {
                        out.printf(Locale.ROOT, "%-34s %5d %7d %8.4f %8.4f %7d%n", s.scheduler(), s.procs(), s.graphs(),
                                s.mean(), s.worst(), s.exact());
                    }
                }
            }
            for (Path f : files) {
                List<Cluster> clusters = new ArrayList<>();
                if (nodes != null) {
                    clusters.add(Cluster.parse(nodes).withBandwidth(bandwidth));
                } else if (f.toString().endsWith(".stg")) {
                    procs.forEach(p -> clusters.add(Cluster.identical(p)));
                } else {
                    clusters.add(Cluster.parse("4x4@1,2x4@2,2x4@4").withBandwidth(bandwidth));
                }
                for (Cluster cluster : clusters) {
                    TaskGraph g = Workloads.read(f, cluster);
                    double cp = Schedule.criticalPath(g);
                    double work = Schedule.workBound(g);
                    out.printf(Locale.ROOT, "%n%s on %d processors: critical path %.2f, work / processors %.2f%n",
                            f, g.processors().size(), cp, work);
                    double bestOnline = Double.MAX_VALUE;
                    double heft = Double.NaN;
                    double evolved = Double.NaN;
                    for (Scheduler s : schedulers) {
                        double m = s.schedule(g).check().makespan();
                        out.printf(Locale.ROOT, "  %-34s makespan %10.2f   / lower bound %.4f%n", s.name(), m,
                                m / Math.max(cp, work));
                        switch (s.name()) {
                            case "evolved" -> evolved = m;
                            case "heft" -> heft = m;
                            default -> bestOnline = Math.min(bestOnline, m);
                        }
                    }
                    out.printf(Locale.ROOT, "  evolved / best fixed online policy: %.4f; evolved / heft: %.4f%n",
                            evolved / bestOnline, evolved / heft);
                    if (live) {
                        live(g, cluster, out);
                    }
                }
            }
            return ColonyCli.OK;
        }

        private void live(TaskGraph g, Cluster cluster, PrintStream out) throws Exception {
            if (runs < 1 || !(unitMs > 0)) {
                throw new IllegalArgumentException("--runs must be >= 1 and --unit-ms > 0");
            }
            out.printf(Locale.ROOT, "  live, 1 unit = %s ms of spin; nodes %s:%n", unitMs, cluster.nodes());
            double errors = 0;
            var results = new LiveSchedule(cluster, unitMs, runs).run(g, new GeneticSearch.Settings(population,
                    generations, threads, seed));
            for (LiveSchedule.Result r : results) {
                out.printf(Locale.ROOT, "  %-34s simulated %9.1f ms (%4.1f ms/task overhead)   live %9.1f ms   "
                        + "model error %+6.1f%%%n", r.policy(), r.simulatedMs(), r.dispatchMs(), r.liveMs(),
                        100 * r.modelError());
                errors += Math.abs(r.modelError());
            }
            out.printf(Locale.ROOT, "  mean absolute model error %.1f%%%n", 100 * errors / results.size());
        }

        private static TaskOrdering ordering(String label) {
            for (TaskOrdering o : TaskOrdering.values()) {
                if (o.label().equals(label)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("--ordering '" + label + "' is not known; known: fifo, shortest-first, "
                    + "critical-path-first, priority");
        }
    }

    /** A size such as {@code 256m} or {@code 1g}, read as HOCON reads sizes. */
    static final class ByteSize implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("s", value)).getBytes("s");
            } catch (com.typesafe.config.ConfigException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a size such as 256m or 1g");
            }
        }
    }

    /** Options shared by the transfer benchmark and its peer. */
    static class TransferOptions {
        @Option(names = "--size", defaultValue = "256m", converter = ByteSize.class,
                description = "bytes moved per run (default ${DEFAULT-VALUE})")
        long size;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address both processes use")
        String host;

        @Option(names = "--mtu", defaultValue = "65504", description = "colony.data.mtu of both (default ${DEFAULT-VALUE})")
        int mtu;

        @Option(names = "--term-length", defaultValue = "16777216",
                description = "colony.data.term-length of both, bytes (default ${DEFAULT-VALUE})")
        int termLength;

        DataSettings settings() {
            return new DataSettings(host, 0, "", mtu, termLength, java.time.Duration.ofSeconds(30),
                    DataSettings.DEFAULT_IDLE_PARK);
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = {"Moves a large output between two processes on this host over the data plane, beside a raw "
                    + "Aeron publication of the same bytes in the same run, and prints GB/s of each and their ratio."})
    static final class TransferCommand implements Callable<Integer> {
        @Mixin
        TransferOptions options = new TransferOptions();

        @Option(names = "--runs", defaultValue = "5", description = "transfers of each kind (default ${DEFAULT-VALUE})")
        int runs;

        @Override
        public Integer call() throws Exception {
            return TransferBench.run(options.size, runs, options.settings(), System.out);
        }
    }

    @Command(name = "transfer-peer", hidden = true, mixinStandardHelpOptions = true,
            description = "The serving process of bench transfer.")
    static final class TransferPeerCommand implements Callable<Integer> {
        @Mixin
        TransferOptions options = new TransferOptions();

        @Override
        public Integer call() throws Exception {
            return TransferBench.peer(options.size, options.settings());
        }
    }

    @Command(name = "throughput", mixinStandardHelpOptions = true,
            description = {"Tiny noop tasks per second through the whole runtime on clusters of each size in --nodes "
                    + "(this process and colony node processes on 127.0.0.1), in one run, with each size's ratio to "
                    + "the first. With several nodes on H2 (the default journal), this process serves its journal to "
                    + "the others; with --journal postgres, each size gets a schema of its own."})
    static final class ThroughputCommand implements Callable<Integer> {

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--nodes", split = ",", defaultValue = "1,3",
                description = "cluster sizes, each a fresh cluster (default ${DEFAULT-VALUE})")
        List<Integer> nodes;

        @Option(names = "--tasks", defaultValue = "20000", description = "tasks per run (default ${DEFAULT-VALUE})")
        int tasks;

        @Option(names = "--job-size", defaultValue = "1000", description = "tasks per job (default ${DEFAULT-VALUE})")
        int jobSize;

        @Option(names = "--runs", defaultValue = "3", description = "measured runs per size, after a warm-up "
                + "(default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--cpus", defaultValue = "2", description = "colony.node.cpus of every node (default "
                + "${DEFAULT-VALUE}; a noop task asks 0.01)")
        String cpus;

        @Option(names = "--warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "warm-up runs of --tasks before the measured ones (default; --no-warm-up for a "
                        + "single large job)")
        boolean warmUp;

        @Option(names = "--warm-up-seconds", defaultValue = "60", description = "warm-up runs go on until this "
                + "long has passed (default ${DEFAULT-VALUE}: the JIT compilers take that long to settle on two "
                + "cores, as in JMH's warm-up)")
        int warmUpSeconds;

        @Override
        public Integer call() throws Exception {
            return new ThroughputBench(config, tasks, jobSize, runs, cpus, warmUp ? warmUpSeconds : 0).run(nodes,
                    System.out);
        }
    }

    /** {@code colony bench overload}: many jobs POSTed at once to one node, its API polled meanwhile. */
    @Command(name = "overload", mixinStandardHelpOptions = true,
            description = {"POST --jobs jobs of --tasks noop tasks at once to one node's HTTP API (a 429 is retried "
                    + "after its Retry-After) while GET /nodes is polled every 100 ms; prints the answers, whether "
                    + "every job succeeded, the task rate, the worst GET /nodes and the peak RSS. Exits 1 unless every "
                    + "job succeeded and GET /nodes always answered within 1 s."})
    static final class OverloadCommand implements Callable<Integer> {

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--jobs", defaultValue = "200", description = "jobs (default ${DEFAULT-VALUE})")
        int jobs;

        @Option(names = "--tasks", defaultValue = "500", description = "tasks per job (default ${DEFAULT-VALUE})")
        int tasks;

        @Override
        public Integer call() throws Exception {
            return new OverloadBench(config, jobs, tasks).run(System.out);
        }
    }

    /** {@code colony bench chaos}: kill -9 and restart of node processes while jobs go in over HTTP. */
    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "Start node processes on 127.0.0.1, submit sum DAGs over HTTP and kill -9 and restart "
                    + "members meanwhile (the oldest first, right after a 202; then right after a job is reported "
                    + "SUCCEEDED; one at any time; then every member at once; ...). Prints submitted / accepted / "
                    + "ended / lost / duplicated / "
                    + "wrong / stuck and exits 1 on any loss. Several nodes need --journal postgres (its URL, user "
                    + "and password from COLONY_POSTGRES_URL, _USER, _PASSWORD).")
    static final class ChaosCommand implements Callable<Integer> {

        @Option(names = "--nodes", defaultValue = "3", description = "node processes (default ${DEFAULT-VALUE})")
        int nodes;

        @Option(names = "--journal", description = "h2 (one node only) or postgres (default: h2 for one node, "
                + "postgres for more)")
        String journal;

        @Option(names = "--jobs", defaultValue = "30", description = "jobs submitted (default ${DEFAULT-VALUE})")
        int jobs;

        @Option(names = "--kills", defaultValue = "4", description = "kill -9 and restarts (default ${DEFAULT-VALUE})")
        int kills;

        @Option(names = "--layers", defaultValue = "4", description = "sum layers per job (default ${DEFAULT-VALUE})")
        int layers;

        @Option(names = "--width", defaultValue = "4", description = "sum tasks per layer (default ${DEFAULT-VALUE})")
        int width;

        @Option(names = "--spin-ms", defaultValue = "150", description = "a spin task between layers (default "
                + "${DEFAULT-VALUE} ms)")
        int spinMs;

        @Option(names = "--seconds", defaultValue = "300", description = "most the whole run may take (default "
                + "${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--dir", description = "where the nodes' data and logs go (default: a new temporary directory)")
        Path dir;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the jobs and the kills")
        long seed;

        @Override
        public Integer call() throws Exception {
            String j = journal != null ? journal : nodes == 1 ? "h2" : "postgres";
            if (nodes < 1 || (nodes > 1 && !j.equals("postgres"))) {
                System.err.println("--nodes " + nodes + " needs --journal postgres: the chaos kills members, and an H2 "
                        + "journal lives in one of them");
                return ColonyCli.BAD_INPUT;
            }
            Path d = dir != null ? dir : ChaosBench.defaultDir();
            System.out.println("chaos: data and logs in " + d);
            try (ChaosCluster cluster = new ChaosCluster(d, nodes, j, 2)) {
                boolean ok = new ChaosBench(cluster, jobs, layers, width, spinMs, seed, System.out)
                        .run(ChaosBench.plan(kills), Duration.ofSeconds(seconds));
                System.out.println(ok ? "chaos: PASSED (nothing lost, duplicated, wrong or stuck)" : "chaos: FAILED");
                return ok ? ColonyCli.OK : ColonyCli.JOB_FAILED;
            }
        }
    }

    /** {@code colony bench soak}: many jobs through one H2 node with retention on; the data directory's size as they go. */
    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "Run many one-task jobs (each a tensor output file) through one embedded H2 node with "
                    + "retention keeping the newest --keep, printing every tenth its jobs/s, the journal's size, what "
                    + "H2 wrote per job, the file's use (share in chunks / share live / chunks), the event rows and "
                    + "the outputs' size: rows and outputs flat once --keep jobs have ended; the H2 file holds 5-10 s "
                    + "of writes beside what is live, so it follows the rate (README, Durability).")
    static final class SoakCommand implements Callable<Integer> {

        @Option(names = "--jobs", defaultValue = "50000", description = "jobs (default ${DEFAULT-VALUE})")
        int jobs;

        @Option(names = "--keep", defaultValue = "1000", description = "colony.retention.keep (default ${DEFAULT-VALUE})")
        int keep;

        @Option(names = "--in-flight", defaultValue = "200", description = "jobs submitted and not ended at once "
                + "(default ${DEFAULT-VALUE})")
        int inFlight;

        @Option(names = "--dir", description = "the data directory (default: a new temporary directory)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path d = dir != null ? dir : java.nio.file.Files.createTempDirectory("colony-soak-");
            return new SoakBench(jobs, keep, inFlight, System.out).run(d) ? ColonyCli.OK : ColonyCli.JOB_FAILED;
        }
    }
}
