package dev.colony.gpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one GEMM as several, each over its own block of C's columns, on the caller's thread plus
 * pooled daemon threads: how the CPU backends use exactly the cores a task was granted. Operands
 * in a confined arena stay on the caller's thread (only it may touch them).
 */
public final class ColumnSplit {

    /** Work on the columns {@code [from, to)} of C. */
    @FunctionalInterface
    public interface Part {
        void run(int from, int to);
    }

    /** Below this many floating-point operations per part, a thread costs more than it saves. */
    private static final long FLOPS_PER_PART = 1L << 22;
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .name("colony-blas-", 1).factory());
    private static final Thread ANOTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private ColumnSplit() {
    }

    /**
     * How many parts C = A·B's {@code flops} should run as: at most {@code threads}, fewer when the
     * parts would be too small or C has fewer than that many {@code align}-wide strips, and 1 when
     * an operand is confined to the caller's thread.
     */
    public static int parts(int threads, long flops, int align, Matrix a, Matrix b, Matrix c) {
        if (confined(a) || confined(b) || confined(c)) {
            return 1; // only the caller's thread may touch them
        }
        return (int) Math.min(Math.min(threads, Math.ceilDiv(c.cols(), align)), Math.max(1, flops / FLOPS_PER_PART));
    }

    /**
     * Runs {@code n} columns as {@code parts} blocks (from {@link #parts}) whose bounds are multiples
     * of {@code align} (except the end), one on the caller's thread; rethrows the first failure.
     * Callers run a single part themselves, so that path allocates nothing.
     */
    public static void run(int parts, int n, int align, Part part) {
        int strips = Math.ceilDiv(n, align);
        Future<?>[] others = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = start(t, parts, strips, align, n);
            int to = start(t + 1, parts, strips, align, n);
            others[t - 1] = WORKERS.submit(() -> part.run(from, to));
        }
        RuntimeException failure = null;
        try {
            part.run(0, start(1, parts, strips, align, n));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("BLAS worker failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while multiplying", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static boolean confined(Matrix m) {
        return !m.segment().isAccessibleBy(ANOTHER_THREAD);
    }

    private static int start(int t, int parts, int strips, int align, int n) {
        return Math.min(n, (int) ((long) strips * t / parts) * align);
    }
}
