package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HEFT against the worked example of its paper (Topcuoglu, Hariri and Wu, IEEE TPDS 2002, Fig. 1). */
class HeftTest {

    /** The paper's graph: run times on P1..P3 (its table) and communication costs (its figure). */
    static TaskGraph topcuoglu() {
        double[][] cost = {{14, 16, 9}, {13, 19, 18}, {11, 13, 19}, {13, 8, 17}, {12, 13, 10}, {13, 16, 9},
            {7, 15, 11}, {5, 11, 14}, {18, 12, 20}, {21, 7, 16}};
        int[][] edges = {{1, 2, 18}, {1, 3, 12}, {1, 4, 9}, {1, 5, 11}, {1, 6, 14}, {2, 8, 19}, {2, 9, 16}, {3, 7, 23},
            {4, 8, 27}, {4, 9, 23}, {5, 9, 13}, {6, 8, 15}, {7, 10, 17}, {8, 10, 11}, {9, 10, 13}};
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ids.add("n" + i);
        }
        List<TaskGraph.Edge> es = new ArrayList<>();
        for (int[] e : edges) {
            es.add(new TaskGraph.Edge(e[0] - 1, e[1] - 1, e[2]));
        }
        return new TaskGraph("topcuoglu2002", ids, List.of("P1", "P2", "P3"), cost, es, 1);
    }

    @Test
    void shouldReproduceThePapersMakespanOf80() {
        Schedule s = Heft.schedule(topcuoglu()).check();
        assertEquals(80, s.makespan(), 1e-9);
    }

    @Test
    void shouldReproduceThePapersRanksAndSchedule() {
        double[] ranks = Heft.upwardRanks(topcuoglu());
        assertArrayEquals(new double[] {108, 77, 80, 80, 69, 63.333, 42.667, 35.667, 44.333, 14.667}, ranks, 1e-3);
        Schedule s = Heft.schedule(topcuoglu());
        // the paper's Fig. 2(a): processor (0 = P1), start, finish of n1..n10
        int[] proc = {2, 0, 2, 1, 2, 1, 2, 0, 1, 1};
        double[] start = {0, 27, 9, 18, 28, 26, 38, 57, 56, 73};
        double[] finish = {9, 40, 28, 26, 38, 42, 49, 62, 68, 80};
        assertArrayEquals(proc, s.processor());
        assertArrayEquals(start, s.start(), 1e-9);
        assertArrayEquals(finish, s.finish(), 1e-9);
    }

    @Test
    void shouldStayAboveTheLowerBounds() {
        TaskGraph g = topcuoglu();
        double makespan = Heft.schedule(g).makespan();
        assertEquals(41, Schedule.criticalPath(g), 1e-9); // n1 n2 n9 n10 at their fastest: 9 + 13 + 12 + 7
        assertEquals(91 / 3.0, Schedule.workBound(g), 1e-9);
        assertEquals(true, makespan >= 41);
    }
}
