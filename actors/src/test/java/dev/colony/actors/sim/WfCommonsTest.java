package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.TaskOrdering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WfFormat 1.5 traces on simulated clusters (a trace written here, in the format's shape). */
class WfCommonsTest {

    @TempDir
    Path dir;

    /** split (10 s) writes a.dat (2 GB) for left and b.dat (1 GB) for right (20 s each); join (5 s) reads both. */
    static final String TRACE = """
            {"name": "tiny", "schemaVersion": "1.5", "workflow": {
              "specification": {
                "tasks": [
                  {"id": "split", "name": "split", "parents": [], "children": ["left", "right"],
                   "inputFiles": [], "outputFiles": ["a.dat", "b.dat"]},
                  {"id": "left", "name": "left", "parents": ["split"], "children": ["join"],
                   "inputFiles": ["a.dat"], "outputFiles": ["l.dat"]},
                  {"id": "right", "name": "right", "parents": ["split"], "children": ["join"],
                   "inputFiles": ["b.dat"], "outputFiles": ["r.dat"]},
                  {"id": "join", "name": "join", "parents": ["left", "right"], "children": [],
                   "inputFiles": ["l.dat", "r.dat"], "outputFiles": []}],
                "files": [{"id": "a.dat", "sizeInBytes": 2000000000}, {"id": "b.dat", "sizeInBytes": 1000000000},
                          {"id": "l.dat", "sizeInBytes": 0}, {"id": "r.dat", "sizeInBytes": 0}]},
              "execution": {"makespanInSeconds": 60, "tasks": [
                {"id": "split", "runtimeInSeconds": 10}, {"id": "left", "runtimeInSeconds": 20},
                {"id": "right", "runtimeInSeconds": 20}, {"id": "join", "runtimeInSeconds": 5}]}}}
            """;

    @Test
    void shouldBuildTheGraphWithRunTimesPerSpeedAndBytesPerEdge() throws IOException {
        Path f = Files.writeString(dir.resolve("tiny.json"), TRACE);
        TaskGraph g = Workloads.read(f, Cluster.parse("1x2@1,1x1@2"));
        assertEquals(3, g.processors().size());
        assertEquals(20, g.cost(1, 0), 1e-9);
        assertEquals(10, g.cost(1, 2), 1e-9); // speed 2
        assertEquals(2.0, g.comm(g.in(1).getFirst()), 1e-9); // 2 GB at 1 GB/s
        assertEquals(0, g.comm(g.in(1).getFirst(), 0, 1), 1e-9); // two cores of one node
        assertEquals(10 / 2.0 + 20 / 2.0 + 5 / 2.0, Schedule.criticalPath(g), 1e-9);
        Schedule heft = Heft.schedule(g).check();
        assertTrue(heft.makespan() >= Schedule.criticalPath(g));
        Schedule sim = ClusterSimulator.run(g, PlacementPolicies.create("least-loaded"), TaskOrdering.FIFO, 1).check();
        assertTrue(sim.makespan() >= Schedule.criticalPath(g));
    }

    @Test
    void shouldRunTwoTasksAtOnceOnATwoCoreNode() throws IOException {
        Path f = Files.writeString(dir.resolve("tiny.json"), TRACE);
        TaskGraph g = Workloads.read(f, Cluster.parse("1x2@1"));
        Schedule s = ClusterSimulator.run(g, PlacementPolicies.create("round-robin"), TaskOrdering.FIFO, 1).check();
        assertEquals(35, s.makespan(), 1e-9); // left and right side by side, no transfers inside the node
    }

    @Test
    void shouldNameTheFieldOfABadTrace() throws IOException {
        assertError(TRACE.replace("{\"id\": \"left\", \"runtimeInSeconds\": 20}", "{\"id\": \"left\", \"runtimeInSeconds\": -1}"),
                "workflow.execution.tasks[1].runtimeInSeconds = -1 must be a number >= 0");
        assertError(TRACE.replace("\"parents\": [\"left\", \"right\"]", "\"parents\": [\"left\", \"middle\"]"),
                "workflow.specification.tasks[3].parents[1] = 'middle' is not a task");
        assertError(TRACE.replace("\"parents\": [], \"children\"", "\"parents\": [\"join\"], \"children\""),
                "dependency cycle");
        assertError(TRACE.replace("{\"id\": \"join\", \"runtimeInSeconds\": 5}", "{\"id\": \"joint\", \"runtimeInSeconds\": 5}"),
                "task 'join' has no entry in workflow.execution.tasks");
        var e = assertThrows(IllegalArgumentException.class, () -> Cluster.parse("2x4@1,3@2"));
        assertTrue(e.getMessage().contains("cluster part '3@2' is not COUNTxCORES@SPEED"), e.getMessage());
    }

    private void assertError(String text, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve("bad.json"), text);
        var e = assertThrows(IllegalArgumentException.class, () -> Workloads.read(f, Cluster.parse("2x1@1")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
