package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process's admission: how many jobs run, who waits and in what order, how the task budget is shared. */
class AdmissionTest {

    final List<String> admitted = new ArrayList<>();

    boolean enter(Admission a, String job, int priority) {
        return a.enter(job, priority, () -> admitted.add(job));
    }

    @Test
    void shouldQueueBeyondMaxRunningAndAdmitByPriorityThenArrival() {
        var a = new Admission(1, 10, 100);
        assertTrue(enter(a, "first", 0));
        assertFalse(enter(a, "low", 0));
        assertFalse(enter(a, "high", 5));
        assertFalse(enter(a, "low2", 0));
        assertEquals(3, a.waiting());
        assertEquals(0, a.share("low"), "a queued job sends nothing out");
        a.leave("first");
        assertEquals(List.of("high"), admitted);
        a.leave("high");
        a.leave("low");
        assertEquals(List.of("high", "low", "low2"), admitted);
        assertTrue(enter(a, "low2", 0), "running already: entering again (a restart) is a no-op");
    }

    @Test
    void shouldShareTheBudgetAmongTheHighestPriorityAndKeepOthersMoving() {
        var a = new Admission(10, 10, 100);
        enter(a, "a", 1);
        enter(a, "b", 1);
        enter(a, "c", 0);
        assertEquals(50, a.share("a"));
        assertEquals(50, a.share("b"));
        assertEquals(1, a.share("c"), "a lower-priority job still keeps one task out");
        a.leave("a");
        a.leave("b");
        assertEquals(100, a.share("c"));
    }

    @Test
    void shouldRefuseOnlyWhenNoneMayRunAndAsManyWaitAsAllowed() {
        var a = new Admission(1, 1, 100);
        assertNull(a.full());
        enter(a, "run", 0);
        assertNull(a.full(), "one more may wait");
        enter(a, "wait", 0);
        String full = a.full();
        assertTrue(full != null && full.contains("colony.jobs.max-queued = 1"), full);
        a.leave("run");
        assertNull(a.full());
    }
}
