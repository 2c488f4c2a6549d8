package dev.colony.actors.learner;

import java.time.InstantSource;

/**
 * Keeps the learner's searches to a share of one core over time: after a search that took
 * {@code T}, the next may start {@code T × (1 − share) / share} later. A search replays recorded
 * jobs for every genome of every generation and would otherwise run back to back under load (a
 * job every few hundred milliseconds reaches {@code evolve-after-jobs} before a search ends): on
 * two cores that took 29 % of the machine from the tasks it learns from. Wall time is measured, so
 * a search slowed by a busy machine rests longer. Used on the learner's thread only.
 */
final class SearchPace {

    private final double share;
    private final InstantSource clock;
    private long startedAt = -1;
    private long restUntil; // 0: no rest

    /** {@code share} in (0, 1]; 1: searches may run back to back. */
    SearchPace(double share, InstantSource clock) {
        this.share = share;
        this.clock = clock;
    }

    /** Milliseconds until a search may start; 0 when it may now. */
    long waitMs() {
        return Math.max(0, restUntil - clock.millis());
    }

    /** A search starts now. */
    void started() {
        startedAt = clock.millis();
    }

    /** The search that started last ended now. */
    void ended() {
        if (startedAt < 0) {
            return;
        }
        long now = clock.millis();
        long took = now - startedAt;
        restUntil = now + (long) Math.ceil(took * (1 - share) / share);
        startedAt = -1;
    }
}
