package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The contract every {@link PlacementPolicy} keeps; one subclass per implementation. */
abstract class PlacementPolicyContract {

    /** A fresh instance of the policy under test. */
    abstract PlacementPolicy policy();

    static final PlacementRequest REQUEST = new PlacementRequest("j", "t", "noop", ResourceRequest.ONE_CPU, 1, 1);

    static List<NodeDescriptor> nodes(int n) {
        List<NodeDescriptor> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(new NodeDescriptor("n" + i, null, new ResourceRequest(4, 1L << 30, 0, 0), 1.0));
        }
        return nodes;
    }

    static Offer offer(String node, long waitMs, double load, double speed) {
        return new Offer(node, null, 1, 1, Long.MAX_VALUE, load, 0, waitMs, speed, ResourceRequest.cpus(1));
    }

    @Test
    void shouldAskOnlyFittingNodesAndAtLeastOne() {
        var random = new SplittableRandom(1);
        PlacementPolicy p = policy();
        for (int n = 1; n <= 6; n++) {
            var fitting = nodes(n);
            for (int i = 0; i < 50; i++) {
                var asked = p.candidates(REQUEST, fitting, random);
                assertFalse(asked.isEmpty(), p.name() + " asked nobody of " + n);
                assertTrue(fitting.containsAll(asked), p.name() + " asked a node outside the fitting set");
                assertEquals(asked.size(), new HashSet<>(asked).size(), p.name() + " asked a node twice");
            }
        }
    }

    @Test
    void shouldAskNobodyWhenNothingFits() {
        assertTrue(policy().candidates(REQUEST, List.of(), new SplittableRandom(1)).isEmpty());
    }

    @Test
    void shouldChooseOneOfTheOffersOrNothing() {
        var random = new SplittableRandom(2);
        var offers = List.of(offer("n0", 10, 0.5, 1), offer("n1", 0, 0.1, 1), offer("n2", 5, 0.9, 2));
        PlacementPolicy p = policy();
        for (int i = 0; i < 20; i++) {
            assertTrue(offers.contains(p.choose(REQUEST, offers, random).orElseThrow()));
        }
        assertTrue(p.choose(REQUEST, List.of(), random).isEmpty());
    }

    @Test
    void shouldReplayTheSameChoicesFromTheSameSeed() {
        var fitting = nodes(5);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        PlacementPolicy a = policy();
        PlacementPolicy b = policy();
        var ra = new SplittableRandom(7);
        var rb = new SplittableRandom(7);
        for (int i = 0; i < 30; i++) {
            first.add(a.candidates(REQUEST, fitting, ra).toString());
            second.add(b.candidates(REQUEST, fitting, rb).toString());
        }
        assertEquals(first, second);
    }
}
