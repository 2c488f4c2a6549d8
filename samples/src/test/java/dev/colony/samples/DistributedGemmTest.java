package dev.colony.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.runtime.Colony;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributedGemmTest {

    @TempDir
    Path dir;

    @Test
    void shouldComputeTheSameProductOnOneNodeAndOnThree() {
        DistributedGemm.Run one;
        try (Colony single = DistributedGemm.local(dir.resolve("one"), 1)) {
            one = DistributedGemm.run(single, "one", 256, 2, "f64");
        }
        try (Colony three = DistributedGemm.local(dir.resolve("three"), 3)) {
            DistributedGemm.Run many = DistributedGemm.run(three, "three", 256, 2, "f64");
            assertEquals(one.sum(), many.sum(), 1e-9 * Math.abs(one.sum()));
            assertEquals(one.frobenius(), many.frobenius(), 1e-9 * one.frobenius());
            assertTrue(one.frobenius() > 0);
            assertEquals(8, many.placement().size(), "2 A panels, 2 B panels, 4 tiles: " + many.placement());
            assertTrue(new HashSet<>(many.placement().values()).size() > 1, "spread over nodes: " + many.placement());
        }
    }

    @Test
    void shouldRefuseTilesThatDoNotDivideTheSize() {
        var e = assertThrows(IllegalArgumentException.class, () -> DistributedGemm.job("x", 100, 3, "f32"));
        assertTrue(e.getMessage().contains("--tiles = 3 must divide --size = 100"), e.getMessage());
    }
}
