package dev.colony.actors.policy;

import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides where a task runs, in two steps of the negotiation: which nodes to ask for offers, and
 * which of the offers to accept. A policy is a value shared by every task of a process: it must be
 * thread-safe, and take randomness only from the generator it is given so runs can be replayed.
 */
public interface PlacementPolicy {

    /** Name used in settings ({@code colony.placement.policy}) and reports. */
    String name();

    /** The learner's version of this policy, which tasks record for attribution; 0 for a built-in one. */
    default long version() {
        return 0;
    }

    /**
     * Whether a task first asks only the nodes of its own process (its job's), when some of those
     * fit it, and goes to the others only if none can start it soon ({@code colony.task.local-first-wait}).
     * True for policies that place by load; a policy that spreads by design says false.
     */
    default boolean localFirst() {
        return true;
    }

    /**
     * The nodes to ask, a non-empty subset of {@code fitting} when {@code fitting} is non-empty.
     *
     * @param fitting nodes whose total capacity can hold the task, sorted by name
     */
    List<NodeDescriptor> candidates(PlacementRequest request, List<NodeDescriptor> fitting, RandomGenerator random);

    /**
     * The offer to accept, one of {@code offers}; empty only when {@code offers} is empty.
     */
    Optional<Offer> choose(PlacementRequest request, List<Offer> offers, RandomGenerator random);
}
