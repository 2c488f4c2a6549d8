package dev.colony.actors.sim;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * HEFT (Topcuoglu, Hariri and Wu, IEEE TPDS 2002): tasks in decreasing upward rank (mean run time
 * plus the longest mean path to an exit, mean communication included), each placed on the
 * processor that finishes it earliest, inserted into the first idle gap long enough for it.
 * Deterministic: ties go to the lower task index and processor ({@link InsertionPlacer}).
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
        Integer[] byRank = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        // decreasing rank; a parent's rank always exceeds its child's when costs are positive, and
        // equal ranks (zero-cost tasks) keep topological order through the stable sort below
        int[] topo = g.topologicalOrder();
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            position[topo[i]] = i;
        }
        java.util.Arrays.sort(byRank, Comparator.<Integer>comparingDouble(t -> -rank[t]).thenComparingInt(t -> position[t]));
        InsertionPlacer placer = new InsertionPlacer(g);
        for (int t : byRank) {
            placer.place(t);
        }
        return placer.schedule();
    }
}
