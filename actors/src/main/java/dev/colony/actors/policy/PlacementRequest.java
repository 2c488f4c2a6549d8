package dev.colony.actors.policy;

import dev.colony.actors.job.ResourceRequest;
import java.util.Map;

/**
 * What a policy knows about the task it places.
 *
 * @param attempt       1 for the first placement, higher after failures
 * @param round         negotiation round, 1 for the first
 * @param expectedRunMs expected run time on a node of speed 1 (from the performance model; 0 when
 *                      unknown)
 * @param inputBytes    bytes of the task's inputs in all
 * @param inputBytesOn  node name to the bytes of those inputs it already holds (absent: none)
 */
public record PlacementRequest(String jobId, String taskId, String kernel, ResourceRequest resources, int attempt,
                               int round, double expectedRunMs, long inputBytes, Map<String, Long> inputBytesOn) {

    /** Copies the map. */
    public PlacementRequest {
        inputBytesOn = Map.copyOf(inputBytesOn);
    }

    /** A request with no run-time estimate and no inputs to move. */
    public PlacementRequest(String jobId, String taskId, String kernel, ResourceRequest resources, int attempt,
                            int round) {
        this(jobId, taskId, kernel, resources, attempt, round, 0, 0, Map.of());
    }

    /** Bytes that would have to move to {@code node} for the task to run there. */
    public long bytesToMove(String node) {
        return inputBytes - inputBytesOn.getOrDefault(node, 0L);
    }
}
