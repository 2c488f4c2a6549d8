package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.sim.PolicyEvolution;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the learner minimises over a replayed workload: a weighted mix of the mean job completion
 * time, its 99th percentile, the longest one (the workload's makespan when its jobs start
 * together), and the cost: the mean core time a job's tasks hold (on a slow node a task holds its
 * core longer), for a cluster whose every core-second costs the same. Weights are at least 0 and
 * not all 0.
 */
public record Objective(double meanJct, double p99Jct, double makespan, double cost) implements CborSerializable {

    /** Mean job completion time alone. */
    public static final Objective MEAN_JCT = new Objective(1, 0, 0, 0);

    /** Checks the weights. */
    public Objective {
        if (!(meanJct >= 0 && p99Jct >= 0 && makespan >= 0 && cost >= 0) || meanJct + p99Jct + makespan + cost == 0) {
            throw new IllegalArgumentException("colony.learner.objective: weights mean-jct = " + meanJct + ", p99-jct = "
                    + p99Jct + ", makespan = " + makespan + ", cost = " + cost + " must be >= 0 and not all 0");
        }
    }

    /** The objective's value for a replayed workload (in the simulator's unit). */
    public double of(PolicyEvolution.Replayed r) {
        double[] jct = r.makespans();
        if (jct.length == 0) {
            return 0;
        }
        double[] sorted = jct.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)];
        double busy = Arrays.stream(r.busy()).average().orElse(0);
        return meanJct * mean + p99Jct * p99 + makespan * sorted[sorted.length - 1] + cost * busy;
    }

    /** The mix in words. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        append(s, meanJct, "mean job completion time");
        append(s, p99Jct, "p99 job completion time");
        append(s, makespan, "makespan");
        append(s, cost, "core time per job");
        return s.toString();
    }

    private static void append(StringBuilder s, double w, String what) {
        if (w > 0) {
            s.append(s.isEmpty() ? "" : " + ").append(w == 1 ? "" : String.format(Locale.ROOT, "%.2g·", w)).append(what);
        }
    }
}
