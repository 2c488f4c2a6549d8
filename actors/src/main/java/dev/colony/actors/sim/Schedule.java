package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where and when each task of a {@link TaskGraph} runs.
 *
 * @param graph     the graph
 * @param processor {@code processor[task]}
 * @param start     {@code start[task]}
 * @param finish    {@code finish[task]}
 */
public record Schedule(TaskGraph graph, int[] processor, double[] start, double[] finish) {

    private static final double EPS = 1e-9;

    /** When the last task finishes. */
    public double makespan() {
        double m = 0;
        for (double f : finish) {
            m = Math.max(m, f);
        }
        return m;
    }

    /** Core time the tasks hold in all: the sum of their run times where they ran. */
    public double busyTime() {
        double b = 0;
        for (int t = 0; t < finish.length; t++) {
            b += finish[t] - start[t];
        }
        return b;
    }

    /**
     * Checks the schedule is feasible: every task runs for its cost on its processor, after each
     * parent finished and its data arrived, and no two tasks overlap on a processor.
     *
     * @throws IllegalStateException naming the first violation
     */
    public Schedule check() {
        TaskGraph g = graph;
        for (int t = 0; t < g.size(); t++) {
            double cost = g.cost(t, processor[t]);
            if (Math.abs(finish[t] - start[t] - cost) > EPS * Math.max(1, cost)) {
                throw new IllegalStateException(g.ids().get(t) + " runs " + (finish[t] - start[t]) + " but costs " + cost);
            }
            for (TaskGraph.Edge e : g.in(t)) {
                double ready = finish[e.from()] + g.comm(e, processor[e.from()], processor[t]);
                if (start[t] + EPS < ready) {
                    throw new IllegalStateException(g.ids().get(t) + " starts at " + start[t] + " before its input from "
                            + g.ids().get(e.from()) + " is there at " + ready);
                }
            }
        }
        for (int p = 0; p < g.processors().size(); p++) {
            List<Integer> on = new ArrayList<>();
            for (int t = 0; t < g.size(); t++) {
                if (processor[t] == p) {
                    on.add(t);
                }
            }
            on.sort(Comparator.<Integer>comparingDouble(t -> start[t]).thenComparingDouble(t -> finish[t])); // zero-length first
            for (int i = 1; i < on.size(); i++) {
                if (start[on.get(i)] + EPS < finish[on.get(i - 1)]) {
                    throw new IllegalStateException(g.ids().get(on.get(i)) + " and " + g.ids().get(on.get(i - 1))
                            + " overlap on " + g.processors().get(p));
                }
            }
        }
        return this;
    }

    /** The longest chain of fastest run times, communication ignored: no schedule beats it. */
    public static double criticalPath(TaskGraph g) {
        double[] longest = new double[g.size()];
        double best = 0;
        for (int t : g.topologicalOrder()) {
            double ready = 0;
            for (TaskGraph.Edge e : g.in(t)) {
                ready = Math.max(ready, longest[e.from()]);
            }
            longest[t] = ready + minCost(g, t);
            best = Math.max(best, longest[t]);
        }
        return best;
    }

    /** The fastest run times summed over all tasks, divided by the processor count. */
    public static double workBound(TaskGraph g) {
        double sum = 0;
        for (int t = 0; t < g.size(); t++) {
            sum += minCost(g, t);
        }
        return sum / g.processors().size();
    }

    private static double minCost(TaskGraph g, int t) {
        double m = Double.MAX_VALUE;
        for (int p = 0; p < g.processors().size(); p++) {
            m = Math.min(m, g.cost(t, p));
        }
        return m;
    }
}
