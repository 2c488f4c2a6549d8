package dev.colony.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code benchmarks/run.sh [gemm|gemm-tiles] [JMH options]}: without either, runs the dispatch
 * benchmarks and prints Colony's task rate as a ratio of the raw Akka ask rate
 * measured in the same run, the durable task rate per journal as a ratio of the in-memory one, and
 * Akka's own ceiling for one short-lived event-sourced entity per task on each journal; with
 * {@code gemm}, the BLAS report of {@link GemmReport}; with {@code gemm-tiles}, what cancellable gemm
 * costs ({@link GemmTilesBenchmark}). Other arguments are JMH's own (e.g.
 * {@code -wi 1 -i 3}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, Exception {
        if (args.length > 0 && args[0].equals("gemm")) {
            GemmReport.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("gemm-tiles")) {
            GemmTilesBenchmark.report(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        List<String> journals = new ArrayList<>(List.of("memory", "h2"));
        String postgres = System.getenv("COLONY_POSTGRES_URL");
        if (postgres == null || postgres.isBlank()) {
            System.out.println("PostgreSQL skipped: set COLONY_POSTGRES_URL (and _USER, _PASSWORD) to measure it");
        } else {
            journals.add("postgres");
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include("\\." + DispatchBenchmark.class.getSimpleName() + "\\.")
                .include(DurableDispatchBenchmark.class.getSimpleName())
                .include(EntityCeilingBenchmark.class.getSimpleName())
                .param("journal", journals.toArray(String[]::new));
        Collection<RunResult> results = new Runner(options.build()).run();
        double tasks = score(results, "dispatchNoopTasks");
        double asks = score(results, "rawAskRoundTrips");
        double sequential = score(results, "rawAskSequential");
        System.out.printf("%nnoop tasks dispatched (1,000 per job):   %,12.0f tasks/s%n"
                + "raw Akka asks, 1,000 in flight:          %,12.0f round trips/s  (tasks = %.1f %% of it)%n"
                + "raw Akka asks, one at a time:            %,12.0f round trips/s  (tasks = %.1f %% of it)%n",
                tasks, asks, 100 * tasks / asks, sequential, 100 * tasks / sequential);
        double memory = durable(results, "memory");
        for (String j : journals) {
            double d = durable(results, j);
            System.out.printf("durable noop tasks, %-8s journal:    %,12.0f tasks/s  (%.1f %% of the memory journal)%n",
                    j, d, 100 * d / memory);
        }
        System.out.printf("%nAkka's own ceiling, 1,000 short-lived entities at a time (no Colony code):%n");
        for (String j : journals) {
            double plain = ceiling(results, j, "plain");
            System.out.printf("  %-8s plain %,9.0f/s   recover %,8.0f/s   persist2 %,8.0f/s   fresh2 %,8.0f/s"
                            + "   batched %,9.0f/s   (durable Colony tasks = %.1f %% of persist2)%n", j, plain,
                    ceiling(results, j, "recover"), ceiling(results, j, "persist2"), ceiling(results, j, "fresh2"),
                    ceiling(results, j, "batched"), 100 * durable(results, j) / ceiling(results, j, "persist2"));
        }
    }

    private static double ceiling(Collection<RunResult> results, String journal, String entity) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".entityLifecycles")
                        && journal.equals(r.getParams().getParam("journal"))
                        && entity.equals(r.getParams().getParam("entity")))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }

    private static double durable(Collection<RunResult> results, String journal) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".dispatchDurableNoopTasks")
                        && journal.equals(r.getParams().getParam("journal")))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }
}
