package dev.colony.actors.policy;

import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Asks every fitting node and takes the offer that starts soonest: least expected wait, then
 * least load, then fastest node, then name (so ties are deterministic).
 */
public final class LeastLoadedPolicy implements PlacementPolicy {

    static final Comparator<Offer> BEST = Comparator.comparingLong(Offer::expectedWaitMs)
            .thenComparingDouble(Offer::load)
            .thenComparing(Comparator.comparingDouble(Offer::speedFactor).reversed())
            .thenComparing(Offer::nodeName);

    @Override
    public String name() {
        return "least-loaded";
    }

    @Override
    public List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting, RandomGenerator random) {
        return fitting;
    }

    @Override
    public Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random) {
        return offers.stream().min(BEST);
    }
}
