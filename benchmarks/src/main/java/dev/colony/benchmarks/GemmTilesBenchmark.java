package dev.colony.benchmarks;

import dev.colony.actors.kernel.TiledGemm;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.openblas.OpenBlas;
import java.lang.foreign.Arena;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What cancellable gemm costs: C = A·B (n×n f32, OpenBLAS on every core) as the gemm kernel runs it,
 * in {@link TiledGemm}'s column tiles with a check between them, against one OpenBLAS call on the
 * same matrices in the same run. {@code benchmarks/run.sh gemm-tiles} prints the ratio per n.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class GemmTilesBenchmark {

    @Param({"4096", "6144", "8192"})
    public int n;

    @Param({"tiled", "one-call"})
    public String how;

    private Arena arena;
    private OpenBlas blas;
    private Matrix a;
    private Matrix b;
    private Matrix c;

    @Setup(Level.Trial)
    public void setUp() {
        blas = OpenBlas.load();
        arena = Arena.ofShared();
        a = Matrix.allocate(arena, DType.F32, n, n);
        b = Matrix.allocate(arena, DType.F32, n, n);
        c = Matrix.allocate(arena, DType.F32, n, n);
        a.fillRandom(new SplittableRandom(1));
        b.fillRandom(new SplittableRandom(2));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One multiply, tiled as the kernel does or in one call. */
    @Benchmark
    public Object gemm() {
        if (how.equals("tiled")) {
            TiledGemm.multiply(blas, a, b, c, TiledGemm.FLOPS, () -> Thread.currentThread().isInterrupted());
        } else {
            blas.gemm(1, a, b, 0, c);
        }
        return c;
    }

    /** Runs the benchmark and prints GFLOP/s of each way and their ratio per n. */
    static void report(String[] jmhArgs) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
                .include(GemmTilesBenchmark.class.getSimpleName()).build()).run();
        System.out.printf("%n%6s %6s %14s %14s %8s%n", "n", "tiles", "tiled", "one call", "ratio");
        for (int n : new int[] {4096, 6144, 8192}) {
            double tiled = gflops(results, "tiled", n);
            double whole = gflops(results, "one-call", n);
            System.out.printf("%6d %6d %9.1f GF/s %9.1f GF/s %8.3f%n", n,
                    TiledGemm.tiles(2.0 * n * n * n, TiledGemm.FLOPS, n), tiled, whole, tiled / whole);
        }
    }

    private static double gflops(Collection<RunResult> results, String how, int n) {
        double ms = results.stream().filter(r -> how.equals(r.getParams().getParam("how"))
                        && String.valueOf(n).equals(r.getParams().getParam("n")))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
        return 2.0 * n * n * n / (ms * 1e-3) / 1e9;
    }
}
