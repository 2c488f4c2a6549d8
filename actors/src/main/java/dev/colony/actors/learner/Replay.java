package dev.colony.actors.learner;

import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.sim.TaskGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns recorded jobs into task graphs for the simulator, on the cluster as it is now: one
 * processor per whole cpu of each node, each node at its declared speed, and each task's run time
 * on a node as the performance model expects it there (in seconds, the simulator's unit, so the
 * offers it makes read like the runtime's). A task the model cannot estimate keeps its measured
 * run time, scaled by speed. Every task also holds its core for the runtime's dispatch overhead
 * ({@link Dispatch}), which is what keeps live nodes from running tasks back to back. A task's
 * stored output moves to a child on another node at the rate the model measured between nodes
 * (1 GB/s before it has measured any); inline outputs travel with messages, for free.
 */
final class Replay {

    private Replay() {
    }

    /** The graphs of {@code jobs} on {@code nodes} (sorted by name; empty when there are none). */
    static List<TaskGraph> workload(List<JobRecord> jobs, PerformanceModel model, List<NodeDescriptor> nodes,
                                    double dispatchMs) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<String> processors = new ArrayList<>();
        List<Integer> nodeOfList = new ArrayList<>();
        double[] speeds = new double[nodes.size()];
        Map<String, Double> speedOf = new HashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            NodeDescriptor d = nodes.get(n);
            speeds[n] = d.speedFactor();
            speedOf.put(d.name(), d.speedFactor());
            int cores = Math.max(1, (int) d.capacity().cpus());
            for (int c = 0; c < cores; c++) {
                processors.add(d.name() + "#" + c);
                nodeOfList.add(n);
            }
        }
        int[] nodeOf = nodeOfList.stream().mapToInt(Integer::intValue).toArray();
        List<TaskGraph> graphs = new ArrayList<>();
        for (JobRecord j : jobs) {
            graphs.add(graph(j, model, nodes, processors, nodeOf, speedOf, dispatchMs).withNodeSpeeds(speeds));
        }
        return graphs;
    }

    private static TaskGraph graph(JobRecord j, PerformanceModel model, List<NodeDescriptor> nodes,
                                   List<String> processors, int[] nodeOf, Map<String, Double> speedOf,
                                   double dispatchMs) {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (JobRecord.TaskRecord t : j.tasks()) {
            index.put(t.id(), ids.size());
            ids.add(t.id());
        }
        double[][] cost = new double[ids.size()][processors.size()];
        List<TaskGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JobRecord.TaskRecord t = j.tasks().get(i);
            for (int p = 0; p < processors.size(); p++) {
                NodeDescriptor d = nodes.get(nodeOf[p]);
                double measuredAtOne = t.runMs() * speedOf.getOrDefault(t.node(), 1.0);
                double ms = model.expectedRunMs(t.kernel(), d.name(), d.speedFactor(), t.workSize())
                        .orElse(measuredAtOne / d.speedFactor());
                cost[i][p] = (ms + dispatchMs) / 1000;
            }
            for (String parent : t.parents()) {
                Integer from = index.get(parent);
                if (from != null) {
                    edges.add(new TaskGraph.Edge(from, i, j.tasks().get(from).outputBytes()));
                }
            }
        }
        return new TaskGraph(j.jobId(), ids, processors, cost, edges, model.bytesPerSecond().orElse(1e9), nodeOf);
    }
}
