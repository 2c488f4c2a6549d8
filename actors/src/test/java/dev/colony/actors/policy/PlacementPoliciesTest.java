package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlacementPoliciesTest {

    @Test
    void shouldCreateEveryNamedPolicy() {
        for (String name : PlacementPolicies.names()) {
            assertEquals(name, PlacementPolicies.create(name).name());
        }
    }

    @Test
    void shouldNameKnownPoliciesForUnknownOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> PlacementPolicies.create("best"));
        assertTrue(e.getMessage().contains("known: least-loaded, power-of-two, random, round-robin"), e.getMessage());
    }
}
