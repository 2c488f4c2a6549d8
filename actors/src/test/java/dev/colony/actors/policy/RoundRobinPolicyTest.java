package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundRobinPolicyTest extends PlacementPolicyContract {

    @Override
    PlacementPolicy policy() {
        return new RoundRobinPolicy();
    }

    @Test
    void shouldCycleThroughNodesInOrder() {
        var p = policy();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            asked.add(p.candidates(REQUEST, nodes(3), new SplittableRandom(1)).getFirst().name());
        }
        assertEquals(List.of("n0", "n1", "n2", "n0", "n1", "n2"), asked);
    }
}
