package dev.colony.benchmarks;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the dispatch benchmark and prints Colony's task rate as a ratio of the raw Akka ask rate
 * measured in the same run. Extra arguments are JMH's own (e.g. {@code -wi 1 -i 3}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, Exception {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(DispatchBenchmark.class.getSimpleName());
        Collection<RunResult> results = new Runner(options.build()).run();
        double tasks = score(results, "dispatchNoopTasks");
        double asks = score(results, "rawAskRoundTrips");
        double sequential = score(results, "rawAskSequential");
        System.out.printf("%nnoop tasks dispatched (1,000 per job):   %,12.0f tasks/s%n"
                + "raw Akka asks, 1,000 in flight:          %,12.0f round trips/s  (tasks = %.1f %% of it)%n"
                + "raw Akka asks, one at a time:            %,12.0f round trips/s  (tasks = %.1f %% of it)%n",
                tasks, asks, 100 * tasks / asks, sequential, 100 * tasks / sequential);
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }
}
