package dev.colony.actors.learner;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps a search to a share of one core while it runs: after each step (one candidate replayed)
 * that took {@code T} of its thread's CPU time, the thread rests {@code T × (1 − share) / share}.
 * Used where the search cannot run at a low priority ({@link Niceness}): a search replays the
 * recorded jobs for every genome of every generation, a minute or more of a core, and resting only
 * between searches did not help while one ran. CPU time, not wall time, is measured: a search
 * thread that a busy machine slows down has taken less, and rests less. One per search; each of
 * its threads ({@code colony.learner.threads}) calls {@link #step} and keeps to the share itself.
 */
final class DutyCycle {

    /** Sleeps the calling thread; replaceable in tests. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final double share;
    private final LongSupplier cpuNanos;
    private final Sleeper sleeper;
    private final ThreadLocal<long[]> last; // the thread's CPU time when its last step ended

    /** {@code share} in (0, 1] of the calling thread's CPU time, measured from now. */
    static DutyCycle of(double share) {
        LongSupplier cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS::getCurrentThreadCpuTime
                : System::nanoTime; // a JVM that cannot tell: wall time
        return new DutyCycle(share, cpu, TimeUnit.NANOSECONDS::sleep);
    }

    /**
     * {@code share} of {@code cpuNanos} (the calling thread's CPU time); the thread that creates it
     * starts counting now, others from 0 (threads started for the search).
     */
    DutyCycle(double share, LongSupplier cpuNanos, Sleeper sleeper) {
        this.share = share;
        this.cpuNanos = cpuNanos;
        this.sleeper = sleeper;
        Thread creator = Thread.currentThread();
        long startedAt = cpuNanos.getAsLong();
        this.last = ThreadLocal.withInitial(() -> new long[] {Thread.currentThread() == creator ? startedAt : 0});
    }

    /** A step ended on this thread: rests in proportion to the CPU time it took. */
    void step() {
        if (share >= 1) {
            return;
        }
        long[] mark = last.get();
        long took = Math.max(0, cpuNanos.getAsLong() - mark[0]);
        try {
            sleeper.sleep((long) (took * (1 - share) / share));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the search was stopped"); // its learner stopped
        }
        mark[0] = cpuNanos.getAsLong();
    }
}
