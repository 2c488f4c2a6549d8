package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadsTest {

    @TempDir
    Path dir;

    /** A 3-task STG graph: 1 and 2 after 1's dummy entry, 3 after both. */
    static final String STG = """
                     3
              0          0          0
              1          4          1          0
              2          2          1          0
              3          5          2          1          2
              4          0          1          3
            # comment lines after the graph are ignored
            """;

    @Test
    void shouldReadAnStgGraphOnIdenticalProcessors() throws IOException {
        Path f = Files.writeString(dir.resolve("g.stg"), STG);
        TaskGraph g = Workloads.read(f, 2);
        assertEquals(5, g.size());
        assertEquals(2, g.processors().size());
        assertEquals(4, g.cost(1, 1));
        assertEquals(9, Schedule.criticalPath(g)); // 4 then 5
        Schedule s = Heft.schedule(g).check();
        assertEquals(9, s.makespan());
    }

    @Test
    void shouldNameFileAndLineOfBadStgInput() throws IOException {
        assertError("bad1.stg", STG.replace("2          2          1          0", "2         -2          1          0"),
                "bad1.stg:4: task 2 has negative run time -2");
        assertError("bad2.stg", STG.replace("3          5          2          1          2",
                "3          5          2          1          9"), "bad2.stg:5: task 3 names predecessor 9");
        assertError("bad3.stg", STG.replace("1          4          1          0", "1          4          1          3"),
                "dependency cycle among");
        assertError("bad4.stg", STG.replace("4          0          1          3", ""), "bad4.stg:7: expected 5 task lines (n = 3 plus the entry and exit dummies), found 4");
        assertError("bad5.stg", STG.replace("2          2", "2          x"), "bad5.stg:4: run time 'x' is not an integer");
    }

    @Test
    void shouldNameTheFieldOfBadJsonInput() throws IOException {
        String good = """
                {"processors": ["A", "B"], "bandwidth": null,
                 "tasks": [{"id": "a", "cost": [1, 2]}, {"id": "b", "cost": [3, 4]}],
                 "edges": [{"src": "a", "dst": "b", "data": 5}]}
                """;
        Path f = Files.writeString(dir.resolve("h.json"), good);
        TaskGraph g = Workloads.read(f, 1);
        assertEquals(5, g.comm(g.edges().getFirst()));
        assertError("m.json", good.replace("\"dst\": \"b\"", "\"dst\": \"zz\""), "m.json: edges[0] names a missing task (dst 'zz')");
        assertError("n.json", good.replace("[3, 4]", "[3, -4]"), "n.json: tasks[1].cost[1] = -4 must be a number >= 0");
        assertError("c.json", good.replace("[3, 4]", "[3]"), "tasks[1].cost has 1 entries for 2 processors");
        assertError("x.json", "{\"nodes\": []}", "unknown JSON workload");
        assertError("y.txt", "hello", "unknown workload format");
        assertError("z.json", "{\"tasks\": [", "not valid JSON at line 1");
    }

    private void assertError(String name, String text, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        var e = assertThrows(IllegalArgumentException.class, () -> Workloads.read(f, 2));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
