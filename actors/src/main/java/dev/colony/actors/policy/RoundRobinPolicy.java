package dev.colony.actors.policy;

import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** Asks the fitting nodes in turn, one per placement, and takes its offer. */
public final class RoundRobinPolicy implements PlacementPolicy {

    private final AtomicLong next = new AtomicLong();

    /** It spreads by design: locality would defeat it. */
    @Override
    public boolean localFirst() {
        return false;
    }

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting, RandomGenerator random) {
        if (fitting.isEmpty()) {
            return List.of();
        }
        return List.of(fitting.get((int) Math.floorMod(next.getAndIncrement(), (long) fitting.size())));
    }

    @Override
    public Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random) {
        return offers.stream().findFirst();
    }
}
