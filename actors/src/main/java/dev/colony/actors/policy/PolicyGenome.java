package dev.colony.actors.policy;

import dev.colony.actors.CborSerializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * The evolvable description of a placement policy ({@link EvolvedPolicy}): real-valued weights
 * over each offer's features, whose weighted sum the policy minimises, and discrete genes.
 *
 * <p>Features of an offer, in order ({@link #FEATURES}): expected wait (s), expected run time
 * there (s: the task's estimate at speed 1 over the node's speed), input bytes to move there
 * (GB), load (busy and queued per core), queue length, slowness (1 / speed), memory (the share of
 * the node's free memory the task would take; 0 when either is unknown), GPU misfit (1 when the
 * task needs more GPUs than the node has free, or needs none and would sit on a node with idle
 * GPUs; else 0), and cost (the core-seconds it would hold there: run time × cpus).
 *
 * @param weights             one per feature, in [-1, 1]
 * @param ordering            how nodes order their waiting tasks
 * @param candidates          nodes asked for offers; 0 asks every fitting node
 * @param concurrency         most tasks a node runs at once; 0 means one per core
 * @param gpuOffloadMinFlops  smallest GEMM sent to a GPU
 */
public record PolicyGenome(double[] weights, TaskOrdering ordering, int candidates, int concurrency,
                           double gpuOffloadMinFlops) implements CborSerializable {

    /** Names of the weighted features, in order. */
    public static final String[] FEATURES = {"wait", "run", "transfer", "load", "queue", "slowness", "memory",
        "gpu-misfit", "cost"};

    /** Least expected finish: wait + run + transfer, asking every node, FIFO. */
    public static final PolicyGenome EARLIEST_FINISH = new PolicyGenome(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0},
            TaskOrdering.FIFO, 0, 0, 1e9);

    /** Checks sizes and ranges, naming the gene. */
    public PolicyGenome {
        if (weights == null || weights.length != FEATURES.length) {
            throw new IllegalArgumentException("policy genome: weights must have " + FEATURES.length + " entries");
        }
        weights = weights.clone();
        for (double w : weights) {
            if (!(w >= -1 && w <= 1)) {
                throw new IllegalArgumentException("policy genome: weight " + w + " outside [-1, 1]");
            }
        }
        if (candidates < 0 || concurrency < 0 || !(gpuOffloadMinFlops >= 0)) {
            throw new IllegalArgumentException("policy genome: candidates " + candidates + ", concurrency " + concurrency
                    + " and gpu offload threshold " + gpuOffloadMinFlops + " must be >= 0");
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The genome in words, for reports and the dashboard. */
    public String describe() {
        StringBuilder s = new StringBuilder("minimise");
        for (int i = 0; i < FEATURES.length; i++) {
            s.append(String.format(Locale.ROOT, " %+.2f·%s", weights[i], FEATURES[i]));
        }
        return s + "; " + ordering.label() + " queues; ask " + (candidates == 0 ? "every node" : candidates + " node(s)")
                + "; " + (concurrency == 0 ? "one task per core" : "at most " + concurrency + " task(s) per node")
                + String.format(Locale.ROOT, "; GPU from %.2g FLOP", gpuOffloadMinFlops);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyGenome g && Arrays.equals(weights, g.weights) && ordering == g.ordering
                && candidates == g.candidates && concurrency == g.concurrency
                && Double.compare(gpuOffloadMinFlops, g.gpuOffloadMinFlops) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + java.util.Objects.hash(ordering, candidates, concurrency,
                gpuOffloadMinFlops);
    }

    @Override
    public String toString() {
        return describe();
    }
}
