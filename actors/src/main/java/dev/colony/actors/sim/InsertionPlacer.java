package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The placement step HEFT and the evolved planner share: a task, given in an order where its
 * parents come first, goes to the processor that finishes it earliest, inserted into the first
 * idle gap long enough for it (ties go to the lower processor). Builds the {@link Schedule}.
 */
final class InsertionPlacer {

    private final TaskGraph g;
    private final List<List<double[]>> busy = new ArrayList<>(); // per processor: sorted [start, finish]
    private final int[] proc;
    private final double[] start;
    private final double[] finish;

    InsertionPlacer(TaskGraph g) {
        this.g = g;
        for (int p = 0; p < g.processors().size(); p++) {
            busy.add(new ArrayList<>());
        }
        proc = new int[g.size()];
        start = new double[g.size()];
        finish = new double[g.size()];
    }

    /** Places {@code t}, whose parents are placed already. */
    void place(int t) {
        double bestFinish = Double.MAX_VALUE;
        for (int p = 0; p < busy.size(); p++) {
            double arrive = 0;
            for (TaskGraph.Edge e : g.in(t)) {
                arrive = Math.max(arrive, finish[e.from()] + g.comm(e, proc[e.from()], p));
            }
            double s = earliestGap(busy.get(p), arrive, g.cost(t, p));
            if (s + g.cost(t, p) < bestFinish - 1e-12) {
                bestFinish = s + g.cost(t, p);
                proc[t] = p;
                start[t] = s;
            }
        }
        finish[t] = bestFinish;
        insert(busy.get(proc[t]), start[t], finish[t]);
    }

    /** The schedule of the tasks placed so far (all of them, once every task was placed). */
    Schedule schedule() {
        return new Schedule(g, proc, start, finish);
    }

    /** The earliest start at or after {@code ready} where {@code length} fits between busy slots. */
    static double earliestGap(List<double[]> slots, double ready, double length) {
        double candidate = ready;
        for (double[] s : slots) {
            if (candidate + length <= s[0] + 1e-12) {
                return candidate;
            }
            candidate = Math.max(candidate, s[1]);
        }
        return candidate;
    }

    private static void insert(List<double[]> slots, double s, double f) {
        int i = 0;
        while (i < slots.size() && slots.get(i)[0] < s) {
            i++;
        }
        slots.add(i, new double[] {s, f});
    }
}
