package dev.colony.actors.node;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.ResourceRequest;

/**
 * A node's load at one moment.
 *
 * @param reserved resources held by granted or running leases
 * @param running  attempts whose kernel is running
 * @param granted  leases granted but not yet running
 * @param queued   accepted offers waiting for resources
 * @param gpuUse   share of the time its GPUs were busy between its monitor's last two samples,
 *                 -1 for a node without GPUs or before a sample
 * @param journal  why its process cannot write the journal now (it takes no work meanwhile), or
 *                 null when it can
 */
public record NodeLoad(String nodeName, ResourceRequest capacity, ResourceRequest reserved, int running, int granted,
                       int queued, double gpuUse, String journal) implements CborSerializable {

    /** A load whose process can write its journal. */
    public NodeLoad(String nodeName, ResourceRequest capacity, ResourceRequest reserved, int running, int granted,
                    int queued, double gpuUse) {
        this(nodeName, capacity, reserved, running, granted, queued, gpuUse, null);
    }
}
