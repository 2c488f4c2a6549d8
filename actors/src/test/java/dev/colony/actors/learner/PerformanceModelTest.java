package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.monitor.Feedback.AttemptRecord;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PerformanceModelTest {

    private static AttemptRecord run(String node, double speed, double work, long runMs, String outcome) {
        return new AttemptRecord("j", "t", "spin", work, node, speed, 0, runMs, 0, 0, outcome, 0, 0, null, 0);
    }

    @Test
    void shouldLearnRunTimePerNodeAndWorkSize() {
        PerformanceModel m = new PerformanceModel(1);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            double work = 10 + r.nextInt(90);
            m.observe(run("slow", 1, work, Math.round(5 + work), "succeeded"));          // 5 ms setup + 1 ms per unit
            m.observe(run("fast", 4, work, Math.round(5 + work / 4), "succeeded"));
        }
        assertEquals(105, m.expectedRunMs("spin", "slow", 1, 100).orElseThrow(), 1);
        assertEquals(30, m.expectedRunMs("spin", "fast", 4, 100).orElseThrow(), 1);
        // a node it never saw, of speed 2: the speed-normalised line over 2
        double unseen = m.expectedRunMs("spin", "new", 2, 100).orElseThrow();
        assertTrue(unseen > 30 && unseen < 105, "unseen node: " + unseen);
        assertTrue(m.expectedRunMs("gemm", "slow", 1, 100).isEmpty());
    }

    @Test
    void shouldIgnoreFailuresFollowDriftAndTrackArrivals() {
        PerformanceModel m = new PerformanceModel(0.8);
        for (int i = 0; i < 50; i++) {
            m.observe(run("n", 1, 10, 100, "succeeded"));
        }
        m.observe(run("n", 1, 10, 99_999, "failed"));
        assertEquals(100, m.expectedRunMs("spin", "n", 1, 10).orElseThrow(), 1e-6);
        for (int i = 0; i < 50; i++) {
            m.observe(run("n", 1, 10, 200, "succeeded")); // the node got twice as slow
        }
        assertEquals(200, m.expectedRunMs("spin", "n", 1, 10).orElseThrow(), 1);
        m.jobArrived(1_000);
        m.jobArrived(3_000);
        assertEquals(2_000, m.meanArrivalGapMs(), 1e-9);
        var e = assertThrows(IllegalArgumentException.class, () -> new PerformanceModel(0));
        assertTrue(e.getMessage().contains("decay = 0.0 must lie in (0, 1]"), e.getMessage());
    }

    @Test
    void shouldLearnHowFastInputsMoveBetweenNodes() {
        PerformanceModel m = new PerformanceModel(1);
        assertTrue(m.bytesPerSecond().isEmpty());
        // 3 MB from a and 1 MB from b read in 8 ms on c: 6 ms for a's share, 2 ms for b's
        m.observe(new AttemptRecord("j", "t", "gemm", 1, "c", 1, 0, 20, 4_000_000, 0, "succeeded", 0, 0,
                java.util.Map.of("a", 3_000_000L, "b", 1_000_000L), 8));
        assertEquals(5e8, m.bytesPerSecond("a", "c").orElseThrow(), 1);
        assertEquals(5e8, m.bytesPerSecond("b", "c").orElseThrow(), 1);
        assertEquals(5e8, m.bytesPerSecond("x", "y").orElseThrow(), 1); // unmeasured pair: over every pair
        PerformanceModel back = PerformanceModel.of(m.state());
        assertEquals(m.state(), back.state());
    }
}
