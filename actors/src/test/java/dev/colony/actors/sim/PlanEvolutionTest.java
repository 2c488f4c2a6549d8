package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlanEvolutionTest {

    private static final GeneticSearch.Settings SMALL = new GeneticSearch.Settings(30, 40, 2, 7);

    @Test
    void shouldScheduleLikeHeftWithHeftsGenome() {
        TaskGraph g = HeftTest.topcuoglu();
        Schedule s = EvolvedPlanner.schedule(g, PlanGenome.HEFT).check();
        assertEquals(Heft.schedule(g).makespan(), s.makespan(), 1e-9);
    }

    @Test
    void shouldNeverDoWorseThanHeftAndOftenBetter() {
        int better = 0;
        for (long seed = 1; seed <= 6; seed++) {
            TaskGraph g = ClusterSimulatorTest.randomGraph(seed, 60, 3);
            double heft = Heft.schedule(g).makespan();
            PlanEvolution.Result r = PlanEvolution.evolve(g, SMALL);
            double evolved = r.schedule().check().makespan();
            assertTrue(evolved <= heft + 1e-9, "seed " + seed + ": evolved " + evolved + " > HEFT " + heft);
            better += evolved < heft - 1e-9 ? 1 : 0;
            assertEquals(SMALL.generations(), r.bestPerGeneration().size());
            for (int i = 1; i < r.bestPerGeneration().size(); i++) { // elitism: the best never gets worse
                assertTrue(r.bestPerGeneration().get(i) <= r.bestPerGeneration().get(i - 1) + 1e-9);
            }
        }
        assertTrue(better >= 3, "evolution beat HEFT on only " + better + " of 6 graphs");
    }

    @Test
    void shouldReplayForASeed() {
        TaskGraph g = ClusterSimulatorTest.randomGraph(3, 50, 4);
        PlanEvolution.Result a = PlanEvolution.evolve(g, SMALL);
        PlanEvolution.Result b = PlanEvolution.evolve(g, new GeneticSearch.Settings(30, 40, 1, 7)); // threads differ
        assertEquals(a.best().toString(), b.best().toString());
        assertEquals(a.bestPerGeneration(), b.bestPerGeneration());
    }

    @Test
    void shouldRejectSettingsOutOfRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GeneticSearch.Settings(1, 10, 1, 0));
        assertTrue(e.getMessage().contains("population = 1 must be at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GeneticSearch.Settings(10, 0, 1, 0));
    }
}
