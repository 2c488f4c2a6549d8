package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.monitor.Feedback.AttemptRecord;
import dev.colony.actors.policy.RunEstimates;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the learner knows of run times: for each (kernel, node), a least-squares line of run time
 * over work size, fitted on exponentially decayed sums so it follows drift; and for each kernel
 * the same line normalised to speed 1 (run time × the node's speed factor), which answers for
 * nodes the kernel has not run on yet. Only succeeded attempts count. Also tracks the mean
 * interval between job arrivals, and per pair of nodes the rate at which a task's stored inputs
 * moved from the node that produced them to the one that ran it.
 *
 * <p>Its {@link #state()} is an immutable, serializable copy, which the learner's state holds.
 * Thread safety: none; the learner owns it.
 */
public final class PerformanceModel {

    /**
     * Decayed least-squares sums of run time (y) over work size (x).
     *
     * @param weight total weight (the decayed count)
     */
    public record Line(double weight, double sx, double sy, double sxx, double sxy) implements CborSerializable {

        static final Line EMPTY = new Line(0, 0, 0, 0, 0);

        Line add(double x, double y, double decay) {
            return new Line(weight * decay + 1, sx * decay + x, sy * decay + y, sxx * decay + x * x, sxy * decay + x * y);
        }

        /** The fitted value at {@code x}: the line when work sizes vary, else the mean scaled by work. */
        double at(double x) {
            return fit().at(x);
        }

        /** The line as schedulers use it. */
        public RunEstimates.Fit fit() {
            double meanX = sx / weight;
            double meanY = sy / weight;
            double varX = sxx / weight - meanX * meanX;
            if (varX > 1e-9 * Math.max(1, meanX * meanX)) {
                return new RunEstimates.Fit(meanX, meanY, (sxy / weight - meanX * meanY) / varX, true);
            }
            return new RunEstimates.Fit(meanX, meanY, 0, false);
        }
    }

    /**
     * Everything the model knows, as the learner journals it (immutable).
     *
     * @param byKernelNode line per {@code kernel@node}
     * @param byKernel     line per kernel, normalised to speed 1
     * @param speedOf      node name → its declared speed
     */
    public record State(double decay, Map<String, Line> byKernelNode, Map<String, Line> byKernel,
                        Map<String, Double> speedOf, double meanArrivalGapMs, long lastArrivalMs,
                        Map<String, Transfer> byPair) implements CborSerializable {

        /** Copies the maps. */
        public State {
            byKernelNode = Map.copyOf(byKernelNode);
            byKernel = Map.copyOf(byKernel);
            speedOf = Map.copyOf(speedOf);
            byPair = byPair == null ? Map.of() : Map.copyOf(byPair);
        }
    }

    /**
     * Decayed sums of the input bytes moved from one node to another and the time reading them
     * took.
     */
    public record Transfer(double bytes, double ms) implements CborSerializable {

        Transfer add(double b, double m, double decay) {
            return new Transfer(bytes * decay + b, ms * decay + m);
        }

        /** Bytes per second. */
        public double bytesPerSecond() {
            return ms > 0 ? bytes / ms * 1000 : Double.NaN;
        }
    }

    private final double decay;
    private final Map<String, Line> byKernelNode = new TreeMap<>();
    private final Map<String, Line> byKernel = new TreeMap<>();
    private final Map<String, Double> speedOf = new HashMap<>();
    private final Map<String, Transfer> byPair = new TreeMap<>();
    private double meanArrivalGapMs;
    private long lastArrivalMs = -1;

    /**
     * A model forgetting by {@code decay} per observation of the same key (1 keeps everything).
     *
     * @throws IllegalArgumentException when decay is outside (0, 1]
     */
    public PerformanceModel(double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("performance model decay = " + decay + " must lie in (0, 1]");
        }
        this.decay = decay;
    }

    /** A model that knows what {@code state} says. */
    public static PerformanceModel of(State state) {
        PerformanceModel m = new PerformanceModel(state.decay());
        m.byKernelNode.putAll(state.byKernelNode());
        m.byKernel.putAll(state.byKernel());
        m.speedOf.putAll(state.speedOf());
        m.meanArrivalGapMs = state.meanArrivalGapMs();
        m.lastArrivalMs = state.lastArrivalMs();
        m.byPair.putAll(state.byPair());
        return m;
    }

    /** What the model knows now. */
    public State state() {
        return new State(decay, byKernelNode, byKernel, speedOf, meanArrivalGapMs, lastArrivalMs, byPair);
    }

    /** Learns from one finished attempt (failed ones teach nothing about run time). */
    public void observe(AttemptRecord r) {
        if (!"succeeded".equals(r.outcome())) {
            return;
        }
        double speed = r.speedFactor() > 0 ? r.speedFactor() : 1;
        speedOf.put(r.node(), speed);
        byKernelNode.merge(key(r.kernel(), r.node()), Line.EMPTY.add(r.workSize(), r.runMs(), decay),
                (old, one) -> old.add(r.workSize(), r.runMs(), decay));
        byKernel.merge(r.kernel(), Line.EMPTY.add(r.workSize(), r.runMs() * speed, decay),
                (old, one) -> old.add(r.workSize(), r.runMs() * speed, decay));
        if (r.bytesIn() > 0 && r.inputReadMs() > 0) {
            r.bytesFrom().forEach((from, bytes) -> {
                double ms = r.inputReadMs() * bytes / r.bytesIn(); // time shared by bytes
                byPair.merge(from + "->" + r.node(), new Transfer(bytes, ms), (old, one) -> old.add(bytes, ms, decay));
            });
        }
    }

    /**
     * Bytes per second moved from node {@code from} to node {@code to}: measured for that pair
     * when it has been, else over every pair; empty before any input has moved.
     */
    public OptionalDouble bytesPerSecond(String from, String to) {
        Transfer t = byPair.get(from + "->" + to);
        return t != null && t.ms() > 0 ? OptionalDouble.of(t.bytesPerSecond()) : bytesPerSecond();
    }

    /** Bytes per second over every pair; empty before any input has moved. */
    public OptionalDouble bytesPerSecond() {
        double bytes = 0;
        double ms = 0;
        for (Transfer t : byPair.values()) {
            bytes += t.bytes();
            ms += t.ms();
        }
        return ms > 0 ? OptionalDouble.of(bytes / ms * 1000) : OptionalDouble.empty();
    }

    /** Learns that a job arrived at {@code atMs}. */
    public void jobArrived(long atMs) {
        if (lastArrivalMs >= 0) {
            double gap = Math.max(0, atMs - lastArrivalMs);
            meanArrivalGapMs = meanArrivalGapMs == 0 ? gap : 0.9 * meanArrivalGapMs + 0.1 * gap;
        }
        lastArrivalMs = atMs;
    }

    /**
     * Expected run time of {@code kernel} on {@code node} for {@code workSize}: from that node's own
     * history when there is one, else from the kernel's speed-1 line over the node's speed.
     *
     * @param nodeSpeed the node's declared speed, used when the model has not seen the node
     */
    public Optional<Double> expectedRunMs(String kernel, String node, double nodeSpeed, double workSize) {
        Line own = byKernelNode.get(key(kernel, node));
        if (own != null) {
            return Optional.of(own.at(workSize));
        }
        Line normalised = byKernel.get(kernel);
        if (normalised == null) {
            return Optional.empty();
        }
        return Optional.of(normalised.at(workSize) / (nodeSpeed > 0 ? nodeSpeed : speedOf.getOrDefault(node, 1.0)));
    }

    /** Per kernel, run time at speed 1 over work size: what tasks estimate their run time with. */
    public RunEstimates estimates() {
        Map<String, RunEstimates.Fit> fits = new TreeMap<>();
        byKernel.forEach((kernel, line) -> fits.put(kernel, line.fit()));
        return new RunEstimates(fits);
    }

    /** Mean time between job arrivals (0 before two arrivals). */
    public double meanArrivalGapMs() {
        return meanArrivalGapMs;
    }

    /** Observations per (kernel, node), decayed, keyed {@code kernel@node}. */
    public Map<String, Line> lines() {
        return Map.copyOf(byKernelNode);
    }

    private static String key(String kernel, String node) {
        return kernel + "@" + node;
    }
}
