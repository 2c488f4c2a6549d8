package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastLoadedPolicyTest extends PlacementPolicyContract {

    @Override
    PlacementPolicy policy() {
        return new LeastLoadedPolicy();
    }

    @Test
    void shouldAskEveryFittingNode() {
        assertEquals(nodes(4), policy().candidates(REQUEST, nodes(4), new SplittableRandom(1)));
    }

    @Test
    void shouldTakeShortestWaitThenLeastLoadThenFastest() {
        var r = new SplittableRandom(1);
        var p = policy();
        assertEquals("b", p.choose(REQUEST, List.of(offer("a", 10, 0, 1), offer("b", 0, 0.9, 1)), r).orElseThrow().nodeName());
        assertEquals("a", p.choose(REQUEST, List.of(offer("a", 0, 0.2, 1), offer("b", 0, 0.9, 1)), r).orElseThrow().nodeName());
        assertEquals("b", p.choose(REQUEST, List.of(offer("a", 0, 0.2, 1), offer("b", 0, 0.2, 2)), r).orElseThrow().nodeName());
    }
}
