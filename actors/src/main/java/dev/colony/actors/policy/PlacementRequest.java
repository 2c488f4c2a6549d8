package dev.colony.actors.policy;

import dev.colony.actors.job.ResourceRequest;

/**
 * What a policy knows about the task it places.
 *
 * @param attempt     1 for the first placement, higher after failures
 * @param round       negotiation round, 1 for the first
 */
public record PlacementRequest(String jobId, String taskId, String kernel, ResourceRequest resources, int attempt,
                               int round) {
}
