package dev.colony.actors.node;

import dev.colony.actors.monitor.Feedback.NodeSample;
import java.lang.management.ManagementFactory;

/**
 * A node's counters as its monitor samples them: the node writes them on its own thread, the
 * monitor reads them on another (hence volatile), so sampling never asks the node anything.
 */
public final class NodeGauge {

    private volatile int running;
    private volatile int queued;

    void set(int running, int queued) {
        this.running = running;
        this.queued = queued;
    }

    /** The node's state now, with the process's CPU load and heap use. */
    public NodeSample sample(String node, long atMs) {
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getCpuLoad() : -1;
        Runtime rt = Runtime.getRuntime();
        return new NodeSample(node, atMs, running, queued, cpu, rt.totalMemory() - rt.freeMemory(), -1);
    }
}
