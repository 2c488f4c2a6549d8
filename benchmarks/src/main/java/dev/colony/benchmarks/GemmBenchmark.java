package dev.colony.benchmarks;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.colony.gpu.Blas;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.java.JavaBlas;
import dev.colony.gpu.openblas.OpenBlas;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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
 * C = A·B on n×n f32 off-heap matrices, time per call; GFLOP/s = 2·n³ / time ({@link GemmReport}
 * prints them). Backends: {@code openblas} (Colony's {@link OpenBlas}), {@code openblas-direct}
 * (the same {@code cblas_sgemm} of the same library through a bare FFM downcall, no Colony code:
 * the baseline for the binding's cost) and {@code java} (the Vector API kernel). Every backend
 * uses all cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class GemmBenchmark {

    @Param({"openblas", "openblas-direct", "java"})
    public String backend;

    @Param({"8", "32", "256", "512", "1024", "2048", "4096"})
    public int n;

    private Arena arena;
    private Blas blas;
    private MethodHandle direct;
    private boolean useDirect;
    private Matrix a;
    private Matrix b;
    private Matrix c;
    private MemorySegment sa;
    private MemorySegment sb;
    private MemorySegment sc;

    @Setup(Level.Trial)
    public void setUp() {
        OpenBlas openblas = OpenBlas.load();
        blas = backend.equals("java") ? new JavaBlas() : openblas;
        direct = Linker.nativeLinker().downcallHandle(openblas.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
        useDirect = backend.equals("openblas-direct");
        arena = Arena.ofShared();
        a = Matrix.allocate(arena, DType.F32, n, n);
        b = Matrix.allocate(arena, DType.F32, n, n);
        c = Matrix.allocate(arena, DType.F32, n, n);
        a.fillRandom(new SplittableRandom(1));
        b.fillRandom(new SplittableRandom(2));
        sa = a.segment();
        sb = b.segment();
        sc = c.segment();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One multiply; JMH reports the time per call. */
    @Benchmark
    public Object gemm() throws Throwable {
        if (useDirect) {
            direct.invokeExact(101, 111, 111, n, n, n, 1f, sa, n, sb, n, 0f, sc, n); // row-major, no transposes
            return sc;
        }
        blas.gemm(1, a, b, 0, c);
        return c;
    }
}
