package dev.colony.actors.data;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the data plane's threads (the media driver's and the poll thread) wait for work: as Aeron's
 * backoff (spin, yield, then park up to 1 ms) while traffic is recent, and parks of
 * {@code colony.data.idle-park} once nothing has come for {@value #DROWSY_AFTER_MS} ms. Parking
 * 1 ms at a time, each idle member's data plane woke 2,000 times a second and took 5–6 % of a core
 * (three members on two cores, bench throughput, where no output travels); the first fragment
 * after a quiet second now waits at most one longer park, and any work wakes it fully again.
 */
final class DrowsyIdleStrategy implements IdleStrategy {

    /** Quiet time after which the strategy parks longer. */
    static final long DROWSY_AFTER_MS = 1_000;

    private final IdleStrategy awake;
    private final long parkNanos;
    private final LongSupplier clock;
    private final LongConsumer park;
    private long idleSince = -1; // -1: there was work at the last call

    /** Parks {@code parkNanos} at a time after a quiet second. */
    DrowsyIdleStrategy(long parkNanos) {
        this(new BackoffIdleStrategy(100, 10, 1_000, 1_000_000), parkNanos, System::nanoTime, LockSupport::parkNanos);
    }

    DrowsyIdleStrategy(IdleStrategy awake, long parkNanos, LongSupplier clock, LongConsumer park) {
        this.awake = awake;
        this.parkNanos = parkNanos;
        this.clock = clock;
        this.park = park;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        long now = clock.getAsLong();
        if (idleSince < 0) {
            idleSince = now;
        }
        if (now - idleSince >= DROWSY_AFTER_MS * 1_000_000) {
            park.accept(parkNanos);
        } else {
            awake.idle();
        }
    }

    @Override
    public void reset() {
        idleSince = -1;
        awake.reset();
    }

    @Override
    public String alias() {
        return "drowsy";
    }
}
