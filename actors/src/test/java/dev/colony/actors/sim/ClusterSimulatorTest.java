package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.TaskOrdering;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusterSimulatorTest {

    /** A random layered DAG on {@code procs} identical processors, with communication. */
    static TaskGraph randomGraph(long seed, int n, int procs) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        double[] work = new double[n];
        List<TaskGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("t" + i);
            work[i] = 1 + r.nextInt(20);
            for (int j = 0; j < i; j++) {
                if (r.nextDouble() < 3.0 / n) {
                    edges.add(new TaskGraph.Edge(j, i, r.nextInt(10)));
                }
            }
        }
        double[] speeds = new double[procs];
        for (int p = 0; p < procs; p++) {
            speeds[p] = 1 + p % 3; // speeds 1, 2, 3, 1, ...
        }
        return new TaskGraph("random-" + seed, ids, Cluster.identical(procs).processors(),
                TaskGraph.uniformCosts(work, speeds), edges, 1);
    }

    @Test
    void shouldProduceFeasibleSchedulesForEveryPolicyAndOrdering() {
        for (long seed = 1; seed <= 5; seed++) {
            TaskGraph g = randomGraph(seed, 60, 4);
            double bound = Math.max(Schedule.criticalPath(g), Schedule.workBound(g));
            for (String name : PlacementPolicies.names()) {
                for (TaskOrdering o : TaskOrdering.values()) {
                    Schedule s = ClusterSimulator.run(g, PlacementPolicies.create(name), o, seed).check();
                    assertTrue(s.makespan() >= bound - 1e-9, name + "/" + o + ": " + s.makespan() + " < " + bound);
                }
            }
            assertTrue(Heft.schedule(g).check().makespan() >= bound - 1e-9);
        }
    }

    @Test
    void shouldReplayForASeed() {
        TaskGraph g = randomGraph(7, 80, 3);
        PlacementPolicy random = PlacementPolicies.create("random");
        Schedule a = ClusterSimulator.run(g, random, TaskOrdering.FIFO, 42);
        Schedule b = ClusterSimulator.run(g, PlacementPolicies.create("random"), TaskOrdering.FIFO, 42);
        assertArrayEquals(a.processor(), b.processor());
        assertArrayEquals(a.start(), b.start());
    }

    @Test
    void shouldRunAChainBackToBackOnOneNodeWhenCommunicationCosts() {
        List<TaskGraph.Edge> chain = List.of(new TaskGraph.Edge(0, 1, 100), new TaskGraph.Edge(1, 2, 100));
        TaskGraph g = new TaskGraph("chain", List.of("a", "b", "c"), List.of("P1", "P2"),
                new double[][] {{3, 3}, {4, 4}, {5, 5}}, chain, 1);
        Schedule s = ClusterSimulator.run(g, PlacementPolicies.create("least-loaded"), TaskOrdering.FIFO, 1).check();
        assertEquals(12, s.makespan(), 1e-9); // least-loaded sees equal waits and picks P1 each time
        Schedule rr = ClusterSimulator.run(g, PlacementPolicies.create("round-robin"), TaskOrdering.FIFO, 1).check();
        assertEquals(212, rr.makespan(), 1e-9); // alternating nodes pays both transfers
    }

    @Test
    void shouldStartTheTaskWithTheLongestPathFirstUnderCriticalPathFirst() {
        // on one node: a (1) and b (1) ready at once; b heads a chain of 10, so it should go first
        TaskGraph g = new TaskGraph("cp", List.of("a", "b", "c"), List.of("P1"), new double[][] {{1}, {1}, {10}},
                List.of(new TaskGraph.Edge(1, 2, 0)), 1);
        Schedule fifo = ClusterSimulator.run(g, PlacementPolicies.create("least-loaded"), TaskOrdering.FIFO, 1);
        Schedule cp = ClusterSimulator.run(g, PlacementPolicies.create("least-loaded"),
                TaskOrdering.CRITICAL_PATH_FIRST, 1);
        assertEquals(12, fifo.makespan(), 1e-9);
        assertEquals(12, cp.makespan(), 1e-9);
        assertEquals(0, cp.start()[1], 1e-9);
        assertEquals(0, fifo.start()[0], 1e-9);
    }
}
