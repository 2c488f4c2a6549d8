package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Welch's test against values from statistical tables. */
class StatsTest {

    @Test
    void shouldMatchStudentsTDistribution() {
        assertEquals(0.5, Stats.studentCdf(0, 7), 1e-12);
        assertEquals(0.975, Stats.studentCdf(2.228, 10), 1e-4); // two-sided 5% critical value for 10 df
        assertEquals(0.95, Stats.studentCdf(1.833, 9), 1e-4);
        assertEquals(0.025, Stats.studentCdf(-12.706, 1), 1e-4);
        assertEquals(0.5, Stats.incompleteBeta(0.5, 3, 3), 1e-12);
        assertEquals(Math.log(24), Stats.logGamma(5), 1e-10);
    }

    @Test
    void shouldFindALowerMeanWithConfidenceOnlyWhenTheEvidenceSaysSo() {
        List<Double> fast = List.of(1.0, 1.1, 0.9, 1.05);
        List<Double> slow = List.of(2.0, 2.2, 1.9, 2.1);
        assertTrue(Stats.pLower(fast, slow) < 0.001);
        assertTrue(Stats.pLower(slow, fast) > 0.999);
        List<Double> noisy = List.of(0.5, 3.0, 1.0, 2.5);
        double p = Stats.pLower(noisy, List.of(1.5, 1.6, 1.4, 1.7));
        assertTrue(p > 0.3 && p < 0.7, "p = " + p);
        assertEquals(0.5, Stats.pLower(List.of(1.0, 1.0), List.of(1.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> Stats.pLower(List.of(1.0), fast));
    }
}
