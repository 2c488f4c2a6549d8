package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The canary's verdicts on made-up trials. */
class CanaryTest {

    static LearnerSettings settings(double slice, int minJobs, int maxJobs) {
        return new LearnerSettings(true, 10, 5, 1, 1, 10, 50, Objective.MEAN_JCT, 0.02, slice, minJobs, maxJobs, 0.95,
                0.99, 100, Duration.ofSeconds(1), 2000, 20_000, 1, 0);
    }

    private static List<Double> around(double mean, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x.add(mean * (0.9 + 0.2 * r.nextDouble()));
        }
        return x;
    }

    @Test
    void shouldWaitForEnoughJobsOfEachPolicy() {
        var trial = new LearnerState.Trial(around(1, 5, 1), around(2, 2, 2), 0, 0);
        assertTrue(Canary.judge(trial, settings(0.1, 3, 20)).isEmpty());
    }

    @Test
    void shouldPromoteAClearlyBetterCandidateAndRollBackAClearlyWorseOne() {
        var better = Canary.judge(new LearnerState.Trial(around(1, 4, 1), around(2, 6, 2), 0, 0), settings(0.1, 3, 20));
        assertTrue(better.orElseThrow().promote(), better.toString());
        assertTrue(better.get().reason().startsWith("better"), better.get().reason());
        var worse = Canary.judge(new LearnerState.Trial(around(3, 4, 3), around(1, 6, 4), 0, 0), settings(0.1, 3, 20));
        assertFalse(worse.orElseThrow().promote());
        assertTrue(worse.get().reason().startsWith("worse"), worse.get().reason());
    }

    @Test
    void shouldRejectACandidateNotShownBetterWithinItsMostJobs() {
        var trial = new LearnerState.Trial(around(1, 6, 5), around(1, 6, 6), 0, 0);
        assertTrue(Canary.judge(trial, settings(0.1, 3, 10)).isEmpty());
        var done = Canary.judge(new LearnerState.Trial(around(1, 10, 5), around(1, 10, 6), 0, 0), settings(0.1, 3, 10));
        assertFalse(done.orElseThrow().promote());
        assertTrue(done.get().reason().startsWith("not shown better within 10 jobs"), done.get().reason());
    }

    @Test
    void shouldRollBackACandidateWhoseJobsFailMoreOften() {
        var trial = new LearnerState.Trial(around(1, 1, 7), around(1, 8, 8), 2, 0);
        var v = Canary.judge(trial, settings(0.1, 3, 20));
        assertFalse(v.orElseThrow().promote());
        assertTrue(v.get().reason().contains("2 of its 3 jobs failed"), v.get().reason());
    }
}
