package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.output.TensorShape;
import dev.colony.gpu.Blas;
import dev.colony.gpu.BlasBackends;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.GpuTiming;
import dev.colony.gpu.java.JavaBlas;
import dev.colony.gpu.openblas.OpenBlas;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Matrix multiply {@code C = A·B} off-heap through the gpu-bridge.
 *
 * <p>Where it runs: on one of the node's GPUs (through its {@link GpuAccess} bridge) when the node
 * has one and the multiply is at least the GPU's offload threshold in FLOPs; otherwise, or when
 * the GPU fails (the summary says why), on the best CPU backend (OpenBLAS, else the Java kernel)
 * with exactly as many threads as the cores the task was granted.
 *
 * <p>Operands come from inputs {@code a} and {@code b} (matrices produced by parent tasks) or,
 * where absent, are generated from {@code seed}: A is m×k, B is k×n ({@code n} alone makes all
 * three equal). {@code output = summary} (default) returns shape, Frobenius norm and element sum;
 * {@code output = matrix} makes C itself the output, a tensor in the node's output store (JSON without
 * one), which child tasks read as inputs {@code a} or {@code b} without a copy to the heap.
 */
public final class GemmKernel implements Kernel {


    /** Largest dimension accepted. */
    public static final int MAX_DIM = 8192;

    private static final Set<String> PARAMS = Set.of("m", "k", "n", "dtype", "seed", "output");
    private final Supplier<Blas> blas; // the default one is found on first use: looking loads native libraries
    private final IntFunction<Blas> withThreads;
    private final double tileFlops;

    /** A gemm kernel on the best backend this machine has ({@link BlasBackends#detected()}), found on first use. */
    public GemmKernel() {
        this.blas = () -> BlasBackends.detected().best();
        this.withThreads = threads -> switch (blas.get()) {
            case OpenBlas o -> o.withThreads(threads);
            case JavaBlas j -> new JavaBlas(threads);
            default -> blas.get();
        };
        this.tileFlops = TiledGemm.FLOPS;
    }

    /** A gemm kernel on {@code blas} for every CPU multiply, whatever the task's cores. */
    public GemmKernel(Blas blas) {
        this(blas, TiledGemm.FLOPS);
    }

    /** As {@link #GemmKernel(Blas)}, cutting CPU multiplies into tiles of {@code tileFlops} (tests). */
    GemmKernel(Blas blas, double tileFlops) {
        this.blas = () -> blas;
        this.withThreads = threads -> blas;
        this.tileFlops = tileFlops;
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public String description() {
        return "C = A·B off-heap (on the node's GPU when large enough, else " + blas.get().name()
                + "); params m, k, n, dtype, seed, output";
    }

    @Override
    public ResourceRequest resourceHint(JsonNode params) {
        Shape s = Shape.of(params);
        long bytes = (s.m * s.k + s.k * s.n + s.m * s.n) * s.dtype.sizeBytes();
        return new ResourceRequest(1, bytes, 0, 0);
    }

    @Override
    public double workSize(JsonNode params) {
        Shape s = Shape.of(params);
        return 2.0 * s.m * s.k * s.n;
    }

    @Override
    public List<String> validate(JsonNode params) {
        return Params.check(name(), params).allowOnly(PARAMS)
                .longInRange("m", 1, MAX_DIM).longInRange("k", 1, MAX_DIM).longInRange("n", 1, MAX_DIM)
                .oneOf("dtype", Set.of("f32", "f64")).oneOf("output", Set.of("summary", "matrix"))
                .longInRange("seed", Long.MIN_VALUE, Long.MAX_VALUE).problems();
    }

    @Override
    public Optional<Set<String>> inputNames() {
        return Optional.of(Set.of("a", "b"));
    }

    /** C is a's rows (else m) × b's columns (else n), of a's type (else dtype), when output = matrix. */
    @Override
    public Optional<TensorShape> outputShape(JsonNode params, Map<String, TensorShape> inputs) {
        if (!"matrix".equals(Params.textOr(params, "output", "summary"))) {
            return Optional.empty();
        }
        Shape s = Shape.of(params);
        TensorShape a = inputs.get("a");
        TensorShape b = inputs.get("b");
        return Optional.of(TensorShape.of(a != null ? a.type() : s.dtype, a != null ? a.rows() : (int) s.m,
                b != null ? b.cols() : (int) s.n));
    }

    /** A (input a, else m×k of dtype) must have as many columns as B (input b) has rows, and the same type. */
    @Override
    public List<String> validateInputs(JsonNode params, Map<String, TensorShape> inputs) {
        TensorShape b = inputs.get("b");
        if (b == null) {
            return List.of(); // B is generated to fit A
        }
        Shape s = Shape.of(params);
        TensorShape a = inputs.get("a");
        String aIs = a != null ? "input a is " + a.rows() + "×" + a.cols() + " " + a.dtype()
                : "A (generated from m, k, dtype) is " + s.m + "×" + s.k + " " + s.dtype.name().toLowerCase(java.util.Locale.ROOT);
        int aCols = a != null ? a.cols() : (int) s.k;
        DType aType = a != null ? a.type() : s.dtype;
        List<String> problems = new java.util.ArrayList<>();
        if (aCols != b.rows()) {
            problems.add("gemm: " + aIs + " but input b is " + b.rows() + "×" + b.cols() + ": A's columns must equal "
                    + "B's rows");
        }
        if (aType != b.type()) {
            problems.add("gemm: " + aIs + " but input b is " + b.dtype() + ": both must have one dtype");
        }
        return problems;
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) throws Exception {
        Shape s = Shape.of(context.params());
        long seed = Params.longOr(context.params(), "seed", 42);
        boolean matrixOut = "matrix".equals(Params.textOr(context.params(), "output", "summary"));
        // With a GPU, the memory is freed by the garbage collector once nothing refers to it, the GPU's
        // in-flight copies included; without one, as soon as the kernel returns.
        boolean gpu = !context.gpus().isEmpty();
        try (Arena scoped = gpu ? null : Arena.ofShared()) {
            Arena arena = scoped != null ? scoped : Arena.ofAuto();
            Matrix a = context.matrix("a", inputs, arena);
            a = a != null ? a : random(arena, s.dtype, (int) s.m, (int) s.k, seed);
            Matrix b = context.matrix("b", inputs, arena);
            b = b != null ? b : random(arena, a.dtype(), a.cols(), (int) s.n, seed + 1);
            // A GPU that times out may still write C, so it never writes into the output file directly.
            Matrix out = matrixOut ? context.tensors().newOutput(a.dtype(), a.rows(), b.cols()) : null;
            Matrix c = out != null && !gpu ? out : Matrix.allocate(arena, a.dtype(), a.rows(), b.cols());
            context.checkCancelled();
            ObjectNode where = multiply(context, a, b, c);
            if (out == null) {
                return summary(a, b, c).setAll(where);
            }
            if (c != out) {
                out.copyFrom(c);
            }
            return context.tensors().output(out);
        }
    }

    /** Runs the multiply on a GPU or the CPU; answers where it ran and how long the GPU took. */
    private ObjectNode multiply(TaskContext context, Matrix a, Matrix b, Matrix c) throws InterruptedException {
        ObjectNode where = JsonNodeFactory.instance.objectNode();
        double flops = 2.0 * a.rows() * a.cols() * b.cols();
        List<GpuAccess> gpus = context.gpus();
        if (!gpus.isEmpty()) {
            GpuAccess gpu = gpus.get(Math.floorMod(context.taskId().hashCode(), gpus.size()));
            if (flops >= gpu.offloadMinFlops()) {
                try {
                    GpuTiming t = gpu.gemm(a, b, c);
                    where.put("backend", "cublas");
                    where.put("gpu", gpu.device());
                    where.put("h2d_ms", t.h2dMillis());
                    where.put("kernel_ms", t.kernelMillis());
                    where.put("d2h_ms", t.d2hMillis());
                    return where;
                } catch (GpuAccess.Timeout e) {
                    throw e; // C may still be written by the GPU: fail the attempt rather than reuse it
                } catch (IllegalStateException e) {
                    where.put("gpu_error", e.getMessage()); // nothing in flight: fall back to the CPU below
                }
            }
        }
        Blas cpu = withThreads.apply(context.threads());
        where.put("tiles", TiledGemm.multiply(cpu, a, b, c, tileFlops, context::checkCancelled));
        where.put("backend", cpu.name());
        where.put("threads", context.threads());
        return where;
    }

    private ObjectNode summary(Matrix a, Matrix b, Matrix c) {
        double sum = 0;
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                sum += c.get(i, j);
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("m", a.rows());
        out.put("k", a.cols());
        out.put("n", b.cols());
        out.put("dtype", c.dtype().name().toLowerCase(java.util.Locale.ROOT));
        out.put("frobenius", c.frobeniusNorm());
        out.put("sum", sum);
        return out;
    }

    private static Matrix random(Arena arena, DType dtype, int rows, int cols, long seed) {
        Matrix m = Matrix.allocate(arena, dtype, rows, cols);
        m.fillRandom(new SplittableRandom(seed));
        return m;
    }

    private record Shape(long m, long k, long n, DType dtype) {
        static Shape of(JsonNode p) {
            long n = Params.longOr(p, "n", 256);
            return new Shape(Params.longOr(p, "m", n), Params.longOr(p, "k", n), n,
                    DType.parse(Params.textOr(p, "dtype", "f32")));
        }
    }
}
