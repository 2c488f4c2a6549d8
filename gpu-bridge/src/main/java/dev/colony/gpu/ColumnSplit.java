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

    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .name("colony-blas-", 1).factory());
    private static final Thread ANOTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private ColumnSplit() {
    }

    /**
     * Splits {@code n} columns into at most {@code parts} blocks whose bounds are multiples of
     * {@code align} (except the end), and runs them; rethrows the first failure.
     */
    public static void run(int parts, int n, int align, Part part, Matrix... operands) {
        int strips = Math.ceilDiv(n, align);
        parts = Math.min(parts, strips);
        for (Matrix m : operands) {
            if (!m.segment().isAccessibleBy(ANOTHER_THREAD)) {
                parts = 1;
            }
        }
        if (parts <= 1) {
            part.run(0, n);
            return;
        }
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

    private static int start(int t, int parts, int strips, int align, int n) {
        return Math.min(n, (int) ((long) strips * t / parts) * align);
    }
}
