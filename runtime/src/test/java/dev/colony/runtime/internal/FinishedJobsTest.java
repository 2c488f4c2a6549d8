package dev.colony.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finished jobs stay in memory up to a number of tasks in all; past it the oldest are forgotten first. */
class FinishedJobsTest {

    private final List<String> forgotten = new ArrayList<>();

    @Test
    void shouldForgetTheOldestFinishedJobsPastTheBound() {
        FinishedJobs jobs = new FinishedJobs(2_500, forgotten::add);
        jobs.finished("a", 1_000);
        jobs.finished("b", 1_000);
        assertEquals(List.of(), forgotten);
        jobs.finished("c", 1_000);
        assertEquals(List.of("a"), forgotten);
        assertEquals(2_000, jobs.tasks());
        jobs.unloaded("b"); // passivated by itself: no longer counted, never told
        jobs.finished("d", 2_000);
        assertEquals(List.of("a", "c"), forgotten);
        assertEquals(2_000, jobs.tasks());
    }

    @Test
    void shouldForgetAJobLargerThanTheBoundAtOnce() {
        FinishedJobs jobs = new FinishedJobs(100, forgotten::add);
        jobs.finished("small", 10);
        jobs.finished("huge", 1_000_000);
        assertEquals(List.of("small", "huge"), forgotten);
        assertEquals(0, jobs.tasks());
        new FinishedJobs(0, forgotten::add).finished("x", 1);
        assertEquals("x", forgotten.getLast());
    }

    @Test
    void shouldNameTheSettingOfABadBound() {
        var e = assertThrows(IllegalArgumentException.class, () -> new FinishedJobs(-1, forgotten::add));
        assertEquals("colony.jobs.finished-tasks-in-memory = -1 must be at least 0", e.getMessage());
    }
}
