package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesPolicyTest extends PlacementPolicyContract {

    @Override
    PlacementPolicy policy() {
        return new PowerOfTwoChoicesPolicy();
    }

    @Test
    void shouldAskTwoDistinctNodes() {
        var r = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            var asked = policy().candidates(REQUEST, nodes(10), r);
            assertEquals(2, asked.size());
        }
    }

    @Test
    void shouldTakeTheLessLoadedOfTwo() {
        var chosen = policy().choose(REQUEST, List.of(offer("a", 0, 0.8, 1), offer("b", 0, 0.1, 1)), new SplittableRandom(1));
        assertEquals("b", chosen.orElseThrow().nodeName());
    }
}
