package dev.colony.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.OutputRef;
import java.util.Map;

/**
 * How a submitted job ended. Every submission gets exactly one.
 *
 * @param jobId        the job's id (may be null or invalid for a rejected job)
 * @param outcome      Succeeded, Failed or Rejected
 * @param reason       why it failed or was rejected; null when it succeeded
 * @param outputs      task id → output, for every task that succeeded (all of them once
 *                     the runtime's client has read the stored ones back)
 * @param storedOutputs task id → reference to an output too large to travel inline; empty in the
 *                     results {@code Colony} hands out, which read them into {@code outputs}
 * @param tasks        task id → summary (node, attempts, timings)
 * @param acceptedAtMs when the job was accepted (epoch ms), 0 if rejected
 * @param finishedAtMs when it ended (epoch ms)
 */
public record JobResult(String jobId, Outcome outcome, String reason, Map<String, JsonNode> outputs,
                        Map<String, OutputRef> storedOutputs, Map<String, TaskSummary> tasks, long acceptedAtMs, long finishedAtMs)
        implements CborSerializable {

    /** The three ways a job ends. */
    public enum Outcome {
        /** Every task succeeded. */
        SUCCEEDED,
        /** A task failed for good, or the job was cancelled. */
        FAILED,
        /** The job never started: its spec was invalid or its id taken. */
        REJECTED
    }

    /** A rejection of job {@code jobId} for {@code reason}. */
    public static JobResult rejected(String jobId, String reason, long nowMs) {
        return new JobResult(jobId, Outcome.REJECTED, reason, Map.of(), Map.of(), Map.of(), 0, nowMs);
    }

    /** A copy whose outputs include {@code resolved} (task id → value read from a store), with no references left. */
    public JobResult withOutputs(Map<String, JsonNode> resolved) {
        Map<String, JsonNode> all = new java.util.HashMap<>(outputs);
        all.putAll(resolved);
        return new JobResult(jobId, outcome, reason, all, Map.of(), tasks, acceptedAtMs, finishedAtMs);
    }

    /** Whether the job succeeded. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** Wall time from acceptance to end in ms, 0 when rejected. */
    public long elapsedMs() {
        return acceptedAtMs == 0 ? 0 : finishedAtMs - acceptedAtMs;
    }
}
