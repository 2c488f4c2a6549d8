package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLimits limits = new JsonLimits(4, 10, 20, 50);

    @Test
    void shouldAcceptValuesWithinTheLimits() throws Exception {
        assertEquals(Optional.empty(), limits.check(JSON.readTree("{\"a\": [[[1]]], \"b\": \"short\"}")));
        assertEquals(Optional.empty(), limits.check(null));
    }

    @Test
    void shouldNameEachLimitAValuePasses() throws Exception {
        assertTrue(limits.check(JSON.readTree("{\"a\": [[[[1]]]]}")).orElseThrow().contains("colony.jobs.json.max-depth"));
        assertTrue(limits.check(JSON.readTree("{\"a\": \"" + "s".repeat(21) + "\"}")).orElseThrow()
                .contains("colony.jobs.json.max-string-length"));
        assertTrue(limits.check(JSON.readTree("{\"" + "n".repeat(21) + "\": 1}")).orElseThrow()
                .contains("field name of 21 characters"));
        assertTrue(limits.check(JSON.readTree("[" + "1,".repeat(60) + "1]")).orElseThrow()
                .contains("colony.jobs.json.max-tokens"));
    }

    @Test
    void shouldCheckAValueFarDeeperThanTheStackWithoutRecursing() {
        JsonNode deep = JSON.createArrayNode();
        for (int i = 0; i < 1_000_000; i++) {
            deep = JSON.createArrayNode().add(deep);
        }
        assertTrue(JsonLimits.DEFAULTS.check(deep).orElseThrow().contains("deeper than 64 levels"));
    }

    @Test
    void shouldRefuseLimitsThatAreNotPositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> new JsonLimits(0, 1, 1, 1));
        assertEquals("colony.jobs.json.max-depth = 0 must be positive", e.getMessage());
    }
}
