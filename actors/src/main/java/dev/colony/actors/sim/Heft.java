package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * HEFT (Topcuoglu, Hariri and Wu, IEEE TPDS 2002): tasks in decreasing upward rank (mean run time
 * plus the longest mean path to an exit, mean communication included), each placed on the
 * processor that finishes it earliest, inserted into the first idle gap long enough for it.
 * Deterministic: ties go to the lower task index and processor.
 */
public final class Heft {

    private Heft() {
    }

    /** The upward rank of every task. */
    public static double[] upwardRanks(TaskGraph g) {
        double[] rank = new double[g.size()];
        int[] order = g.topologicalOrder();
        for (int i = order.length - 1; i >= 0; i--) {
            int t = order[i];
            double tail = 0;
            for (TaskGraph.Edge e : g.out(t)) {
                tail = Math.max(tail, g.comm(e) + rank[e.to()]);
            }
            rank[t] = g.meanCost(t) + tail;
        }
        return rank;
    }

    /** Schedules {@code g}. */
    public static Schedule schedule(TaskGraph g) {
        double[] rank = upwardRanks(g);
        int n = g.size();
        int procs = g.processors().size();
        Integer[] byRank = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        // decreasing rank; a parent's rank always exceeds its child's when costs are positive, and
        // equal ranks (zero-cost tasks) keep topological order through the stable sort below
        int[] topo = g.topologicalOrder();
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            position[topo[i]] = i;
        }
        java.util.Arrays.sort(byRank, Comparator.<Integer>comparingDouble(t -> -rank[t]).thenComparingInt(t -> position[t]));
        List<List<double[]>> busy = new ArrayList<>(); // per processor: sorted [start, finish]
        for (int p = 0; p < procs; p++) {
            busy.add(new ArrayList<>());
        }
        int[] proc = new int[n];
        double[] start = new double[n];
        double[] finish = new double[n];
        for (int t : byRank) {
            double bestFinish = Double.MAX_VALUE;
            double bestStart = 0;
            int best = -1;
            for (int p = 0; p < procs; p++) {
                double ready = 0;
                for (TaskGraph.Edge e : g.in(t)) {
                    ready = Math.max(ready, finish[e.from()] + g.comm(e, proc[e.from()], p));
                }
                double s = earliestGap(busy.get(p), ready, g.cost(t, p));
                if (s + g.cost(t, p) < bestFinish - 1e-12) {
                    bestFinish = s + g.cost(t, p);
                    bestStart = s;
                    best = p;
                }
            }
            proc[t] = best;
            start[t] = bestStart;
            finish[t] = bestFinish;
            insert(busy.get(best), bestStart, bestFinish);
        }
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

    static void insert(List<double[]> slots, double s, double f) {
        int i = 0;
        while (i < slots.size() && slots.get(i)[0] < s) {
            i++;
        }
        slots.add(i, new double[] {s, f});
    }
}
