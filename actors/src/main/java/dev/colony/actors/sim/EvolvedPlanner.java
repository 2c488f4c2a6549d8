package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * List scheduling driven by a {@link PlanGenome}: repeatedly takes the ready task of highest
 * genome priority and places it as HEFT does ({@link InsertionPlacer}). With {@link PlanGenome#HEFT} it schedules as HEFT does up to
 * ties; evolution ({@link PlanEvolution}) searches for a better genome per workload.
 */
public final class EvolvedPlanner {

    private EvolvedPlanner() {
    }

    /** The features of every task, each scaled to [0, 1]. */
    static double[][] features(TaskGraph g) {
        int n = g.size();
        double[] up = Heft.upwardRanks(g);
        double[] down = new double[n];
        double[] level = new double[n];
        int[] order = g.topologicalOrder();
        for (int t : order) {
            for (TaskGraph.Edge e : g.in(t)) {
                down[t] = Math.max(down[t], down[e.from()] + g.meanCost(e.from()) + g.comm(e));
            }
        }
        for (int i = order.length - 1; i >= 0; i--) {
            int t = order[i];
            double tail = 0;
            for (TaskGraph.Edge e : g.out(t)) {
                tail = Math.max(tail, level[e.to()]);
            }
            level[t] = g.meanCost(t) + tail;
        }
        double[][] f = new double[n][PlanGenome.FEATURES];
        for (int t = 0; t < n; t++) {
            f[t] = new double[] {up[t], down[t], g.meanCost(t), g.out(t).size(), level[t]};
        }
        for (int k = 0; k < PlanGenome.FEATURES; k++) {
            double max = 0;
            for (double[] row : f) {
                max = Math.max(max, Math.abs(row[k]));
            }
            for (double[] row : f) {
                row[k] = max == 0 ? 0 : row[k] / max;
            }
        }
        return f;
    }

    /** Schedules {@code g} with {@code genome}. */
    public static Schedule schedule(TaskGraph g, PlanGenome genome) {
        return schedule(g, features(g), genome);
    }

    /** As {@link #schedule(TaskGraph, PlanGenome)}, with the features computed once by the caller. */
    static Schedule schedule(TaskGraph g, double[][] features, PlanGenome genome) {
        int n = g.size();
        double[] w = genome.weights();
        double[] priority = new double[n];
        SplittableRandom noise = new SplittableRandom(genome.seed());
        for (int t = 0; t < n; t++) {
            double p = 0;
            for (int k = 0; k < w.length; k++) {
                p += w[k] * features[t][k];
            }
            priority[t] = p + genome.jitter() * noise.nextDouble();
        }
        int[] waiting = new int[n];
        List<Integer> ready = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            waiting[t] = g.in(t).size();
            if (waiting[t] == 0) {
                ready.add(t);
            }
        }
        InsertionPlacer placer = new InsertionPlacer(g);
        while (!ready.isEmpty()) {
            int pick = 0;
            for (int i = 1; i < ready.size(); i++) {
                int a = ready.get(i);
                int b = ready.get(pick);
                if (priority[a] > priority[b] || priority[a] == priority[b] && a < b) {
                    pick = i;
                }
            }
            int t = ready.remove(pick);
            placer.place(t);
            for (TaskGraph.Edge e : g.out(t)) {
                if (--waiting[e.to()] == 0) {
                    ready.add(e.to());
                }
            }
        }
        return placer.schedule();
    }
}
