package dev.colony.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's f32 FMA peak, measured: every core runs {@link #CHAINS} independent chains of
 * widest-vector FMAs, enough to cover the FMA units' latency, with no memory traffic. Calls per
 * second (summed over threads) × {@link #flopsPerCall()} = FLOP/s; {@link GemmReport} divides GEMM
 * rates by it. Measured instead of taken from a spec sheet because the cloud CPU's vector width
 * and clock are not what its model name suggests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(Threads.MAX)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class FmaPeakBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int CHAINS = 8;
    static final int STEPS = 10_000;

    private float scale = 0.999f;
    private float shift = 0.001f; // x -> 0.999x + 0.001 stays near 1: no denormals

    /** Floating-point operations in one {@link #fma} call (an FMA counts as two). */
    static double flopsPerCall() {
        return 2.0 * CHAINS * STEPS * S.length();
    }

    @Benchmark
    public float fma() {
        // made here from the constant species, so the JIT knows their exact class and keeps them in
        // registers (a FloatVector read from a field is boxed on every operation)
        FloatVector b = FloatVector.broadcast(S, scale);
        FloatVector c = FloatVector.broadcast(S, shift);
        FloatVector x0 = c, x1 = c, x2 = c, x3 = c, x4 = c, x5 = c, x6 = c, x7 = c;
        for (int i = 0; i < STEPS; i++) {
            x0 = x0.fma(b, c);
            x1 = x1.fma(b, c);
            x2 = x2.fma(b, c);
            x3 = x3.fma(b, c);
            x4 = x4.fma(b, c);
            x5 = x5.fma(b, c);
            x6 = x6.fma(b, c);
            x7 = x7.fma(b, c);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
