package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.sim.PolicyEvolution;
import dev.colony.actors.sim.TaskGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The objective's mix, the dispatch overhead read off a job, and a job replayed on the cluster. */
class ObjectiveAndDispatchTest {

    @Test
    void shouldWeighTheJobsCompletionTimesAndCoreTime() {
        var r = new PolicyEvolution.Replayed(new double[] {1, 2, 3, 10}, new double[] {4, 4, 4, 4});
        assertEquals(4, Objective.MEAN_JCT.of(r), 1e-12);
        assertEquals(10, new Objective(0, 1, 0, 0).of(r), 1e-12); // p99 of 4 values is the largest
        assertEquals(4 + 0.5 * 10 + 2 * 4, new Objective(1, 0, 0.5, 2).of(r), 1e-12);
        assertEquals("mean job completion time + 2.0·core time per job", new Objective(1, 0, 0, 2).describe());
        var e = assertThrows(IllegalArgumentException.class, () -> new Objective(0, 0, 0, 0));
        assertTrue(e.getMessage().startsWith("colony.learner.objective"), e.getMessage());
    }

    @Test
    void shouldReadTheOverheadPerTaskOffAJobsLongestPath() {
        // a -> b -> c, each 10 ms of run and 0 wait, plus d beside them; 45 ms in all: 5 ms per task on the path
        var job = new JobRecord("j", 0, "succeeded", 0, 45, List.of(
                new JobRecord.TaskRecord("c", "spin", 10, List.of("b"), "n", 10, 0, 0),
                new JobRecord.TaskRecord("a", "spin", 10, List.of(), "n", 10, 0, 0),
                new JobRecord.TaskRecord("b", "spin", 10, List.of("a"), "n", 10, 0, 0),
                new JobRecord.TaskRecord("d", "spin", 10, List.of(), "n", 10, 0, 0)));
        assertEquals(5, Dispatch.overheadMs(job), 1e-6);
        var fast = new JobRecord("k", 0, "succeeded", 0, 20, job.tasks());
        assertEquals(0, Dispatch.overheadMs(fast));
    }

    @Test
    void shouldReadTheOverheadOfAChainTooDeepToRecurseOver() {
        // 100,000 tasks in a chain (listed children first), 1 ms of run each, 300,000 ms in all: 2 ms per task
        int n = 100_000;
        var tasks = new java.util.ArrayList<JobRecord.TaskRecord>();
        for (int i = n - 1; i >= 0; i--) {
            tasks.add(new JobRecord.TaskRecord("t" + i, "spin", 1, i == 0 ? List.of() : List.of("t" + (i - 1)), "n", 1,
                    0, 0));
        }
        assertEquals(2, Dispatch.overheadMs(new JobRecord("chain", 0, "succeeded", 0, 3L * n, tasks)), 1e-6);
    }

    @Test
    void shouldReplayAJobOnTheClusterAsTheModelExpectsIt() {
        var model = new PerformanceModel(1);
        model.observe(new dev.colony.actors.monitor.Feedback.AttemptRecord("j", "a", "spin", 10, "slow", 1, 0, 10, 0, 0,
                "succeeded", 0, 0, null, 0));
        model.observe(new dev.colony.actors.monitor.Feedback.AttemptRecord("j", "x", "spin", 10, "slow", 1, 0, 10,
                2_000_000, 0, "succeeded", 0, 0, java.util.Map.of("fast", 2_000_000L), 4)); // 500 MB/s
        var nodes = List.of(new NodeDescriptor("fast", null, ResourceRequest.cpus(2), 4),
                new NodeDescriptor("slow", null, ResourceRequest.cpus(1), 1));
        var job = new JobRecord("j", 0, "succeeded", 0, 45, List.of(
                new JobRecord.TaskRecord("a", "spin", 10, List.of(), "slow", 10, 0, 1_000_000),
                new JobRecord.TaskRecord("b", "spin", 20, List.of("a"), "slow", 20, 0, 0)));
        TaskGraph g = Replay.workload(List.of(job), model, nodes, 5).getFirst();
        assertEquals(List.of("fast#0", "fast#1", "slow#0"), g.processors());
        assertEquals(4, g.nodeSpeed(0));
        assertEquals((20 / 4.0 + 5) / 1000, g.cost(1, 0), 1e-12); // b on fast: the speed-1 line over 4, plus dispatch
        assertEquals((10 + 5) / 1000.0, g.cost(0, 2), 1e-12); // a on slow: its own line
        assertEquals(1, g.in(1).size());
        // a's 1 MB stored output reaches b on another node at the measured 500 MB/s: 2 ms
        assertEquals(0.002, g.comm(g.in(1).getFirst(), 2, 0), 1e-12);
        assertEquals(0, g.comm(g.in(1).getFirst(), 0, 1), 1e-12); // two cores of one node share memory
    }
}
