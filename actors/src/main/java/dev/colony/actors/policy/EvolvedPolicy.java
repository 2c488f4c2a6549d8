package dev.colony.actors.policy;

import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A placement policy described by a {@link PolicyGenome}: asks {@code candidates} nodes chosen at
 * random (or every fitting node), then accepts the offer with the least weighted sum of its
 * features. Stateless apart from its genome: thread-safe, and replayable through the generator.
 *
 * @param genome  what it values
 * @param version the policy version that produced it (0 for one made by hand), for attribution
 */
public record EvolvedPolicy(PolicyGenome genome, long version) implements PlacementPolicy {

    @Override
    public String name() {
        return "evolved-v" + version;
    }

    @Override
    public List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting,
                                           RandomGenerator random) {
        int k = genome.candidates();
        if (k == 0 || k >= fitting.size()) {
            return fitting;
        }
        List<NodeDescriptor> pool = new ArrayList<>(fitting);
        List<NodeDescriptor> asked = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            asked.add(pool.remove(random.nextInt(pool.size())));
        }
        return asked;
    }

    @Override
    public Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random) {
        return offers.stream().min(Comparator.<Offer>comparingDouble(o -> score(request, o))
                .thenComparing(LeastLoadedPolicy.BEST));
    }

    /** The weighted sum the policy minimises. */
    public double score(PlacementRequest request, Offer o) {
        double speed = o.speedFactor() > 0 ? o.speedFactor() : 1;
        double[] w = genome.weights();
        double runS = request.expectedRunMs() / 1000.0 / speed;
        return w[0] * o.expectedWaitMs() / 1000.0
                + w[1] * runS
                + w[2] * request.bytesToMove(o.nodeName()) / 1e9
                + w[3] * o.load()
                + w[4] * o.queued()
                + w[5] / speed
                + w[6] * memoryShare(request.resources(), o.free())
                + w[7] * gpuMisfit(request.resources(), o.free())
                + w[8] * runS * request.resources().cpus();
    }

    /** The share of the node's free memory the task takes (0 when either is unknown). */
    static double memoryShare(ResourceRequest task, ResourceRequest free) {
        return task.memoryBytes() > 0 && free.memoryBytes() > 0 ? (double) task.memoryBytes() / free.memoryBytes() : 0;
    }

    /** 1 when the task needs more GPUs than are free, or none while GPUs sit idle there; else 0. */
    static double gpuMisfit(ResourceRequest task, ResourceRequest free) {
        return task.gpus() > 0 ? (free.gpus() >= task.gpus() ? 0 : 1) : (free.gpus() > 0 ? 1 : 0);
    }
}
