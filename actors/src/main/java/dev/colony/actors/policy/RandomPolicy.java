package dev.colony.actors.policy;

import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Asks one fitting node chosen uniformly at random and takes its offer. */
public final class RandomPolicy implements PlacementPolicy {

    /** It spreads by design: locality would defeat it. */
    @Override
    public boolean localFirst() {
        return false;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting, RandomGenerator random) {
        return fitting.isEmpty() ? List.of() : List.of(fitting.get(random.nextInt(fitting.size())));
    }

    @Override
    public Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random) {
        return offers.isEmpty() ? Optional.empty() : Optional.of(offers.get(random.nextInt(offers.size())));
    }
}
