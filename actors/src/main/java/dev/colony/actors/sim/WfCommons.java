package dev.colony.actors.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WfCommons workflow traces (WfFormat 1.5) as task graphs on a {@link Cluster}: a task's run time
 * on a core is its measured {@code runtimeInSeconds} divided by the core's speed; an edge carries
 * the bytes of the files the parent writes and the child reads, moved at the cluster's bandwidth
 * between nodes (free within one). Errors name the file and the field.
 */
final class WfCommons {

    private WfCommons() {
    }

    static TaskGraph read(String source, JsonNode root, Cluster cluster) {
        JsonNode spec = root.path("workflow").path("specification");
        JsonNode exec = root.path("workflow").path("execution");
        if (!spec.path("tasks").isArray() || !exec.path("tasks").isArray()) {
            throw new IllegalArgumentException(source + ": WfFormat needs workflow.specification.tasks and "
                    + "workflow.execution.tasks");
        }
        Map<String, Long> fileBytes = new HashMap<>();
        JsonNode files = spec.path("files");
        for (int i = 0; i < files.size(); i++) {
            fileBytes.put(files.get(i).path("id").asText(), files.get(i).path("sizeInBytes").asLong(0));
        }
        Map<String, Double> runtime = new HashMap<>();
        JsonNode et = exec.path("tasks");
        for (int i = 0; i < et.size(); i++) {
            JsonNode r = et.get(i).path("runtimeInSeconds");
            if (!r.isNumber() || r.asDouble() < 0) {
                throw new IllegalArgumentException(source + ": workflow.execution.tasks[" + i + "].runtimeInSeconds = "
                        + r + " must be a number >= 0");
            }
            runtime.put(et.get(i).path("id").asText(), r.asDouble());
        }
        JsonNode st = spec.path("tasks");
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < st.size(); i++) {
            String id = st.get(i).path("id").asText(null);
            if (id == null || index.put(id, i) != null) {
                throw new IllegalArgumentException(source + ": workflow.specification.tasks[" + i + "].id is "
                        + (id == null ? "missing" : "'" + id + "', used twice"));
            }
            ids.add(id);
        }
        double[] speeds = cluster.speeds();
        double[][] cost = new double[ids.size()][];
        List<TaskGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < st.size(); i++) {
            JsonNode t = st.get(i);
            Double r = runtime.get(ids.get(i));
            if (r == null) {
                throw new IllegalArgumentException(source + ": task '" + ids.get(i) + "' has no entry in "
                        + "workflow.execution.tasks (its run time is unknown)");
            }
            cost[i] = new double[speeds.length];
            for (int p = 0; p < speeds.length; p++) {
                cost[i][p] = r / speeds[p];
            }
            Set<String> inputs = new HashSet<>();
            t.path("inputFiles").forEach(f -> inputs.add(f.asText()));
            JsonNode parents = t.path("parents");
            for (int k = 0; k < parents.size(); k++) {
                Integer from = index.get(parents.get(k).asText());
                if (from == null) {
                    throw new IllegalArgumentException(source + ": workflow.specification.tasks[" + i + "].parents[" + k
                            + "] = '" + parents.get(k).asText() + "' is not a task");
                }
                long bytes = 0;
                for (JsonNode out : st.get(from).path("outputFiles")) {
                    if (inputs.contains(out.asText())) {
                        bytes += fileBytes.getOrDefault(out.asText(), 0L);
                    }
                }
                edges.add(new TaskGraph.Edge(from, i, bytes));
            }
        }
        return new TaskGraph(source, ids, cluster.processors(), cost, edges, cluster.bytesPerSecond(), cluster.nodeOf());
    }
}
