package dev.colony.actors.policy;

import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Asks two distinct fitting nodes chosen at random and takes the better offer (Mitzenmacher's
 * power of two choices): nearly the balance of least-loaded at the cost of two messages.
 */
public final class PowerOfTwoChoicesPolicy implements PlacementPolicy {

    @Override
    public String name() {
        return "power-of-two";
    }

    @Override
    public List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting, RandomGenerator random) {
        int n = fitting.size();
        if (n <= 2) {
            return fitting;
        }
        int first = random.nextInt(n);
        int second = random.nextInt(n - 1);
        if (second >= first) {
            second++;
        }
        return List.of(fitting.get(first), fitting.get(second));
    }

    @Override
    public Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random) {
        return offers.stream().min(LeastLoadedPolicy.BEST);
    }
}
