package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomPolicyTest extends PlacementPolicyContract {

    @Override
    PlacementPolicy policy() {
        return new RandomPolicy();
    }

    @Test
    void shouldSpreadRoughlyUniformly() {
        var r = new SplittableRandom(11);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            counts.merge(policy().candidates(REQUEST, nodes(4), r).getFirst().name(), 1, Integer::sum);
        }
        assertEquals(4, counts.size());
        counts.values().forEach(c -> assertEquals(1000, c, 150));
    }
}
