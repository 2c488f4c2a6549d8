package dev.colony.actors.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One timer stands for every lease's deadline: set for the earliest, moved only by an earlier one. */
class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> armed = new ArrayList<>();
    private final Deadlines deadlines = new Deadlines(armed::add, now::get);

    @Test
    void shouldArmForTheEarliestDeadlineOnly() {
        deadlines.set(1, Deadlines.Kind.LEASE, 100);
        deadlines.set(2, Deadlines.Kind.LEASE, 200); // later: the timer stays
        assertEquals(List.of(Duration.ofMillis(100)), armed);
        deadlines.set(3, Deadlines.Kind.RUN, 50); // earlier: the timer moves
        assertEquals(Duration.ofMillis(50), armed.getLast());
        assertEquals(3, deadlines.size());
    }

    @Test
    void shouldReportTheDeadlinesMetInOrderAndArmForTheNext() {
        deadlines.set(1, Deadlines.Kind.LEASE, 100);
        deadlines.set(2, Deadlines.Kind.RUN, 30);
        deadlines.set(3, Deadlines.Kind.LEASE, 300);
        now.addAndGet(150_000_000L);
        assertEquals(List.of(new Deadlines.Due(2, Deadlines.Kind.RUN), new Deadlines.Due(1, Deadlines.Kind.LEASE)),
                deadlines.due());
        assertEquals(Duration.ofMillis(150), armed.getLast());
        assertEquals(List.of(), deadlines.due()); // early: nothing met, armed again for what is left
        assertEquals(Duration.ofMillis(150), armed.getLast());
    }

    @Test
    void shouldForgetAClearedOrReplacedDeadline() {
        deadlines.set(1, Deadlines.Kind.LEASE, 100);
        deadlines.set(2, Deadlines.Kind.LEASE, 100);
        deadlines.clear(1);
        deadlines.set(2, Deadlines.Kind.RUN, 1_000); // its kernel started: the run's timeout replaces the lease's
        now.addAndGet(500_000_000L);
        assertEquals(List.of(), deadlines.due());
        now.addAndGet(600_000_000L);
        assertEquals(List.of(new Deadlines.Due(2, Deadlines.Kind.RUN)), deadlines.due());
        assertEquals(0, deadlines.size());
    }
}
