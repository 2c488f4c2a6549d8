package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Searches rest in proportion to how long they took. */
class SearchPaceTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void shouldRestThreeTimesASearchsLengthAtAQuarterShare() {
        var pace = new SearchPace(0.25, clock);
        assertEquals(0, pace.waitMs()); // the first search starts at once
        pace.started();
        now.addAndGet(2_000);
        pace.ended();
        assertEquals(6_000, pace.waitMs());
        now.addAndGet(5_000);
        assertEquals(1_000, pace.waitMs());
        now.addAndGet(1_000);
        assertEquals(0, pace.waitMs());
    }

    @Test
    void shouldNeverRestAtAWholeShare() {
        var pace = new SearchPace(1, clock);
        pace.started();
        now.addAndGet(60_000);
        pace.ended();
        assertEquals(0, pace.waitMs());
    }
}
