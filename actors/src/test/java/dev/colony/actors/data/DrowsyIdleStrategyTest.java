package dev.colony.actors.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

/** The data plane's threads back off as Aeron's do while traffic is recent, and park longer after a quiet second. */
class DrowsyIdleStrategyTest {

    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong(5 * MS);
    private final List<Long> parks = new ArrayList<>();
    private final List<String> awake = new ArrayList<>();
    private final IdleStrategy backoff = new IdleStrategy() {
        @Override
        public void idle(int workCount) {
            idle();
        }

        @Override
        public void idle() {
            awake.add("backoff");
        }

        @Override
        public void reset() {
        }
    };
    private final DrowsyIdleStrategy idle = new DrowsyIdleStrategy(backoff, 10 * MS, now::get, parks::add);

    @Test
    void shouldBackOffAsAeronDoesForTheFirstQuietSecond() {
        idle.idle(0);
        now.addAndGet(999 * MS);
        idle.idle(0);
        assertEquals(List.of("backoff", "backoff"), awake);
        assertEquals(List.of(), parks);
    }

    @Test
    void shouldParkLongerAfterAQuietSecond() {
        idle.idle(0);
        now.addAndGet(DrowsyIdleStrategy.DROWSY_AFTER_MS * MS);
        idle.idle(0);
        idle.idle(0);
        assertEquals(List.of(10 * MS, 10 * MS), parks);
    }

    @Test
    void shouldWakeFullyOnAnyWork() {
        idle.idle(0);
        now.addAndGet(2_000 * MS);
        idle.idle(0); // drowsy
        idle.idle(3); // work: awake again
        now.addAndGet(500 * MS);
        idle.idle(0);
        assertEquals(List.of(10 * MS), parks);
        assertEquals(List.of("backoff", "backoff"), awake);
    }
}
