package dev.colony.actors.monitor;

import dev.colony.actors.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * One batch of a node's feedback, as the learner receives it.
 *
 * @param node     the node it describes
 * @param attempts finished attempts, oldest first
 * @param samples  node samples, oldest first
 * @param jobs     jobs that ended on the node's process, oldest first
 * @param dropped  samples and records dropped since the previous batch because the learner was not
 *                 taking them (beyond colony.monitor.max-samples and .max-records)
 */
public record Feedback(String node, List<AttemptRecord> attempts, List<NodeSample> samples, List<JobRecord> jobs,
                       long dropped) implements CborSerializable {

    /** Copies the lists. */
    public Feedback {
        attempts = List.copyOf(attempts);
        samples = List.copyOf(samples);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /**
     * A finished attempt.
     *
     * @param workSize    the kernel's own measure of the work (e.g. spin's {@code work}, gemm's FLOPs)
     * @param speedFactor the node's declared speed
     * @param queueWaitMs from acceptance to start on the node
     * @param runMs       the kernel's run time
     * @param outcome     {@code succeeded}, {@code failed}, {@code timed-out} or {@code cancelled}
     * @param policyVersion version of the placement policy that placed the task
     * @param bytesFrom   of bytesIn, how many came from each producing node's output store
     * @param inputReadMs how long reading them took (what moving inputs here cost)
     */
    public record AttemptRecord(String jobId, String taskId, String kernel, double workSize, String node,
                                double speedFactor, long queueWaitMs, long runMs, long bytesIn, long bytesOut,
                                String outcome, long finishedAtMs, long policyVersion, Map<String, Long> bytesFrom,
                                double inputReadMs) implements CborSerializable {

        /** Copies the map. */
        public AttemptRecord {
            bytesFrom = bytesFrom == null ? Map.of() : Map.copyOf(bytesFrom);
        }
    }

    /**
     * A node's state at one moment.
     *
     * @param cpuLoad system CPU load in [0, 1] (negative when unknown)
     * @param gpuUse  GPU use in [0, 1] (negative when the node has no GPU)
     */
    public record NodeSample(String node, long atMs, int running, int queued, double cpuLoad, long usedMemoryBytes,
                             double gpuUse) implements CborSerializable {
    }
}
