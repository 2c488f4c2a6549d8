package dev.colony.actors.sim;

import java.util.Arrays;

/**
 * What the evolved planner is told to value: weights over a task's features that make its
 * priority among the ready tasks, plus a seeded jitter that lets evolution explore orders the
 * weights alone cannot express. Features, each scaled to [0, 1] over the graph: upward rank
 * (HEFT's), downward rank (longest path from an entry), mean run time, number of children,
 * static level (upward rank without communication).
 *
 * @param weights one per feature, in [-1, 1]
 * @param jitter  amplitude of the per-task random term, in [0, 1]
 * @param seed    seed of that term
 */
public record PlanGenome(double[] weights, double jitter, long seed) {

    /** Number of features (and weights). */
    public static final int FEATURES = 5;

    /** HEFT's own priority: upward rank only. */
    public static final PlanGenome HEFT = new PlanGenome(new double[] {1, 0, 0, 0, 0}, 0, 0);

    /** Checks sizes and ranges. */
    public PlanGenome {
        if (weights.length != FEATURES) {
            throw new IllegalArgumentException("a plan genome has " + FEATURES + " weights, got " + weights.length);
        }
        weights = weights.clone();
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter " + jitter + " must lie in [0, 1]");
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public String toString() {
        return "weights " + Arrays.toString(Arrays.stream(weights).map(w -> Math.round(w * 1000) / 1000.0).toArray())
                + " (upward, downward, run time, children, static level), jitter " + Math.round(jitter * 1000) / 1000.0
                + ", seed " + seed;
    }
}
