package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.policy.TaskOrdering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StgBenchmarkTest {

    @TempDir
    Path root;

    @Test
    void shouldScoreSchedulersAgainstTheOptima() throws IOException {
        Files.createDirectories(root.resolve("50"));
        Files.createDirectories(root.resolve("optimal"));
        Files.writeString(root.resolve("50/a.stg"), WorkloadsTest.STG); // optimum on 2 processors: 9
        // four independent tasks 3, 3, 2, 2 on 2 processors: optimum 5
        Files.writeString(root.resolve("50/b.stg"), """
                4
                0 0 0
                1 3 1 0
                2 3 1 0
                3 2 1 0
                4 2 1 0
                5 0 4 1 2 3 4
                """);
        Files.writeString(root.resolve("optimal/Case50_2_OPT.csv"), "50/a.stg,2,9\n50/b.stg,2,4,5\n");
        List<StgBenchmark.Score> scores = StgBenchmark.run(root, 2, List.of(Scheduler.heft(),
                Scheduler.simulated("least-loaded", TaskOrdering.FIFO, 1)));
        StgBenchmark.Score heft = scores.getFirst();
        assertEquals("heft", heft.scheduler());
        assertEquals(2, heft.graphs());
        assertEquals(1.0, heft.mean(), 1e-9);
        assertEquals(2, heft.exact());
        assertEquals("least-loaded/fifo", scores.get(1).scheduler());
        assertTrue(scores.get(1).worst() >= 1.0);
    }

    @Test
    void shouldNameTheOptimaFileAndLine() throws IOException {
        Files.createDirectories(root.resolve("optimal"));
        Files.writeString(root.resolve("optimal/Case50_4_OPT.csv"), "50/a.stg,4,9\n50/b.stg,4\n");
        var e = assertThrows(IllegalArgumentException.class, () -> StgBenchmark.optima(root, 4));
        assertTrue(e.getMessage().endsWith("Case50_4_OPT.csv:2: expected 3 or 4 fields, got 2"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> StgBenchmark.optima(root, 3));
        assertTrue(missing.getMessage().contains("no optima file for 3 processors"), missing.getMessage());
    }
}
