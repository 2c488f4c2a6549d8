package dev.colony.actors.node;

import dev.colony.actors.monitor.Feedback.NodeSample;
import java.lang.management.ManagementFactory;

/**
 * A node's counters as its monitor samples them: the node writes its task counts on its own
 * thread, the monitor reads them on another (hence volatile), so sampling never asks the node
 * anything. GPU busy time comes from the node's GPU bridges' measurements, which the monitor adds
 * ({@link #addGpuBusyMs}) on its own thread, the one that samples.
 */
public final class NodeGauge {

    private final int gpus;
    private volatile int running;
    private volatile int queued;
    private double gpuBusyMs;
    private long lastSampleMs = -1;
    private volatile double lastGpuUse = -1;
    private volatile String journalProblem;

    /** A gauge for a node without GPUs. */
    public NodeGauge() {
        this(0);
    }

    /** A gauge for a node with {@code gpus} GPUs. */
    public NodeGauge(int gpus) {
        this.gpus = gpus;
    }

    /**
     * Why this node's process cannot write its journal now, or null when it can: the node takes no
     * work meanwhile (what it would report done could not be made durable), and its load says so.
     */
    public void journalProblem(String problem) {
        this.journalProblem = problem;
    }

    /** Why the journal cannot be written now, or null. */
    public String journalProblem() {
        return journalProblem;
    }

    /** The node's running kernels now and its queue's length; the node's thread only. */
    void set(int running, int queued) {
        this.running = running;
        this.queued = queued;
    }

    /** The GPU use of the latest sample (-1: no GPUs, or none taken yet); any thread. */
    public double gpuUse() {
        return lastGpuUse;
    }

    /** Adds GPU busy time (copies and kernel) measured on one of the node's GPUs; monitor thread only. */
    public void addGpuBusyMs(double ms) {
        gpuBusyMs += ms;
    }

    /**
     * The node's state now, with the process's CPU load and heap use, and the share of the time
     * since the last sample its GPUs were busy (-1 for a node without GPUs); monitor thread only.
     */
    public NodeSample sample(String node, long atMs) {
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getCpuLoad() : -1;
        Runtime rt = Runtime.getRuntime();
        double gpuUse = -1;
        if (gpus > 0) {
            long elapsed = lastSampleMs < 0 ? 0 : atMs - lastSampleMs;
            gpuUse = elapsed > 0 ? Math.min(1, gpuBusyMs / ((double) elapsed * gpus)) : 0;
            gpuBusyMs = 0;
        }
        lastSampleMs = atMs;
        lastGpuUse = gpuUse;
        return new NodeSample(node, atMs, running, queued, cpu, rt.totalMemory() - rt.freeMemory(), gpuUse);
    }
}
