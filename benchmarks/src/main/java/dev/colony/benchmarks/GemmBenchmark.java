package dev.colony.benchmarks;

import dev.colony.gpu.Blas;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.java.JavaBlas;
import dev.colony.gpu.openblas.OpenBlas;
import java.lang.foreign.Arena;
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

/**
 * C = A·B on n×n off-heap matrices per BLAS backend; GFLOP/s = 2·n³ / (time per call). The first
 * step of the gpu-bridge benchmarks (cuBLAS and the direct-FFM baseline come with them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class GemmBenchmark {

    @Param({"openblas", "java"})
    public String backend;

    @Param({"256", "1024", "2048"})
    public int n;

    @Param({"F32"})
    public DType dtype;

    private Arena arena;
    private Blas blas;
    private Matrix a;
    private Matrix b;
    private Matrix c;

    @Setup(Level.Trial)
    public void setUp() {
        blas = backend.equals("openblas") ? OpenBlas.load() : new JavaBlas();
        arena = Arena.ofShared();
        a = Matrix.allocate(arena, dtype, n, n);
        b = Matrix.allocate(arena, dtype, n, n);
        c = Matrix.allocate(arena, dtype, n, n);
        a.fillRandom(new SplittableRandom(1));
        b.fillRandom(new SplittableRandom(2));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One multiply; JMH reports the time per call. */
    @Benchmark
    public Matrix gemm() {
        blas.gemm(1, a, b, 0, c);
        return c;
    }
}
