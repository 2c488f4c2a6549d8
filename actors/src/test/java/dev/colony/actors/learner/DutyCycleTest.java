package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A search rests after each step in proportion to the CPU time the step took. */
class DutyCycleTest {

    private final AtomicLong cpu = new AtomicLong(5_000); // the thread's CPU time so far, ns
    private final List<Long> slept = new ArrayList<>();

    @Test
    void shouldRestThreeTimesAStepsCpuTimeAtAQuarterShare() {
        DutyCycle cycle = new DutyCycle(0.25, cpu::get, slept::add);
        cpu.addAndGet(2_000); // the first step: counted from the cycle's creation, not the thread's start
        cycle.step();
        cpu.addAndGet(1_000);
        cycle.step();
        assertEquals(List.of(6_000L, 3_000L), slept);
    }

    @Test
    void shouldNotCountTheRestItself() {
        DutyCycle cycle = new DutyCycle(0.5, cpu::get, nanos -> {
            slept.add(nanos);
            cpu.addAndGet(10); // a sleeping thread's CPU time barely moves
        });
        cpu.addAndGet(1_000);
        cycle.step();
        cpu.addAndGet(1_000);
        cycle.step();
        assertEquals(List.of(1_000L, 1_000L), slept);
    }

    @Test
    void shouldNeverRestAtAWholeShare() {
        DutyCycle cycle = new DutyCycle(1, cpu::get, slept::add);
        cpu.addAndGet(60_000_000_000L);
        cycle.step();
        assertTrue(slept.isEmpty());
    }

    @Test
    void shouldStopTheSearchWhenItsThreadIsInterrupted() {
        DutyCycle cycle = new DutyCycle(0.25, cpu::get, nanos -> {
            throw new InterruptedException();
        });
        cpu.addAndGet(1_000);
        assertThrows(CancellationException.class, cycle::step);
        assertTrue(Thread.interrupted()); // the flag is kept (and cleared here)
    }

    @Test
    void shouldCountAThreadStartedForTheSearchFromZero() throws Exception {
        DutyCycle cycle = new DutyCycle(0.25, cpu::get, nanos -> {
            synchronized (slept) {
                slept.add(nanos);
            }
        });
        Thread worker = new Thread(cycle::step); // as GeneticSearch's pool threads do
        worker.start();
        worker.join();
        assertEquals(List.of(15_000L), slept); // the 5,000 ns this fake clock shows, as the worker's own
    }
}
