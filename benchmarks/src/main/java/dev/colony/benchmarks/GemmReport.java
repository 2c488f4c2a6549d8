package dev.colony.benchmarks;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code benchmarks/run.sh gemm}: runs {@link GemmBenchmark} and {@link FmaPeakBenchmark} in one
 * run and prints, per n, GFLOP/s per backend, Colony's OpenBLAS binding as a ratio of the same call
 * through a bare FFM downcall, the Java kernel as a ratio of OpenBLAS, and OpenBLAS as a share of
 * the measured FMA peak; then the call overhead on small matrices in µs.
 */
final class GemmReport {

    private GemmReport() {
    }

    static void run(String[] jmhArgs) throws RunnerException, Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
                .include(GemmBenchmark.class.getSimpleName()).include(FmaPeakBenchmark.class.getSimpleName())
                .build()).run();
        double peak = results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".fma"))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN)
                * FmaPeakBenchmark.flopsPerCall() / 1e9;
        System.out.printf("%nf32 FMA peak, all %d cores, %d-bit vectors: %.1f GFLOP/s%n%n",
                Runtime.getRuntime().availableProcessors(), FmaPeakBenchmark.S.vectorBitSize(), peak);
        System.out.printf("%6s %12s %12s %10s %12s %12s %12s%n", "n", "openblas", "ffm-direct", "binding",
                "java", "java/openbl", "openbl/peak");
        for (int n : List.of(256, 512, 1024, 2048, 4096)) {
            double o = gflops(results, "openblas", n);
            double d = gflops(results, "openblas-direct", n);
            double j = gflops(results, "java", n);
            System.out.printf("%6d %9.1f GF %9.1f GF %9.3fx %9.1f GF %11.1f%% %11.1f%%%n", n, o, d, o / d, j,
                    100 * j / o, 100 * o / peak);
        }
        System.out.printf("%nCall time on small matrices (µs per call; binding overhead = openblas - ffm-direct):%n");
        for (int n : List.of(8, 32)) {
            double o = micros(results, "openblas", n);
            double d = micros(results, "openblas-direct", n);
            System.out.printf("  %2dx%-2d  openblas %7.3f   ffm-direct %7.3f   overhead %6.3f   java %7.3f%n", n, n, o,
                    d, o - d, micros(results, "java", n));
        }
    }

    private static double micros(Collection<RunResult> results, String backend, int n) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".gemm")
                        && backend.equals(r.getParams().getParam("backend"))
                        && String.valueOf(n).equals(r.getParams().getParam("n")))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }

    private static double gflops(Collection<RunResult> results, String backend, int n) {
        return 2.0 * n * n * n / (micros(results, backend, n) * 1e-6) / 1e9;
    }
}
