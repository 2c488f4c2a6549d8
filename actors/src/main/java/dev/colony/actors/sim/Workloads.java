package dev.colony.actors.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads task graphs from the formats of published scheduling benchmarks. Every error names the
 * source and the line (STG) or field (JSON) at fault.
 *
 * <ul>
 *   <li><b>STG</b> (Standard Task Graph Set, Tobita and Kasahara): first line the task count n,
 *       then n+2 lines {@code id cost npred pred...} (tasks 0 and n+1 are zero-cost dummies), then
 *       comment lines starting with {@code #}. Identical processors, no communication.</li>
 *   <li><b>WfCommons</b> WfFormat 1.5 traces ({@link WfCommons}).</li>
 *   <li><b>HEFT example JSON</b>: {@code processors[]}, {@code tasks[] {id, cost[p]}},
 *       {@code edges[] {src, dst, data}}, {@code bandwidth} (null: 1).</li>
 * </ul>
 */
public final class Workloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Workloads() {
    }

    /**
     * Reads {@code file}, choosing the format by its name ({@code .stg}) or content (a JSON object
     * with {@code tasks} and {@code processors}).
     *
     * @param processors identical processors for formats that do not name them (STG)
     */
    public static TaskGraph read(Path file, int processors) throws IOException {
        return read(file, Cluster.identical(processors));
    }

    /**
     * Reads {@code file} for {@code cluster}: STG run times are divided by each core's speed, and
     * WfCommons traces ({@code workflow} object) use its cores, speeds and bandwidth. The HEFT
     * example format names its own processors.
     */
    public static TaskGraph read(Path file, Cluster cluster) throws IOException {
        String text = Files.readString(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".stg")) {
            return stg(file.toString(), text, cluster);
        }
        if (text.stripLeading().startsWith("{")) {
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                        + ": " + e.getOriginalMessage());
            }
            if (root.has("tasks") && root.has("processors")) {
                return heftExample(file.toString(), root);
            }
            if (root.has("workflow")) {
                return WfCommons.read(file.toString(), root, cluster);
            }
            throw new IllegalArgumentException(file + ": unknown JSON workload: expected 'workflow' (WfCommons) or "
                    + "'tasks' and 'processors' (HEFT example format)");
        }
        throw new IllegalArgumentException(file + ": unknown workload format (known: .stg, WfCommons JSON, HEFT "
                + "example JSON)");
    }

    /** Parses STG text for {@code processors} identical processors; {@code source} names it in errors. */
    public static TaskGraph stg(String source, String text, int processors) {
        if (processors < 1) {
            throw new IllegalArgumentException(source + ": processors = " + processors + " must be at least 1");
        }
        return stg(source, text, Cluster.identical(processors));
    }

    /** Parses STG text for {@code cluster}; {@code source} names it in errors. */
    public static TaskGraph stg(String source, String text, Cluster cluster) {
        List<String> lines = text.lines().toList();
        int at = skipBlank(lines, 0);
        if (at >= lines.size()) {
            throw new IllegalArgumentException(source + ": empty file");
        }
        int n = intField(source, at + 1, lines.get(at).trim().split("\\s+")[0], "task count");
        int total = n + 2;
        List<String> ids = new ArrayList<>();
        double[] work = new double[total];
        List<TaskGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            at = skipBlank(lines, at + 1);
            if (at >= lines.size() || lines.get(at).trim().startsWith("#")) {
                throw new IllegalArgumentException(source + ":" + (at + 1) + ": expected " + total + " task lines (n = "
                        + n + " plus the entry and exit dummies), found " + i);
            }
            String line = lines.get(at);
            int lineNo = at + 1;
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'id cost npred pred...', got '"
                        + line.trim() + "'");
            }
            int id = intField(source, lineNo, f[0], "task id");
            if (id != i) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": task id " + id + ", expected " + i);
            }
            work[i] = intField(source, lineNo, f[1], "run time");
            if (work[i] < 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": task " + id + " has negative run time "
                        + f[1]);
            }
            int preds = intField(source, lineNo, f[2], "predecessor count");
            if (f.length != 3 + preds) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": task " + id + " declares " + preds
                        + " predecessors but lists " + (f.length - 3));
            }
            for (int k = 0; k < preds; k++) {
                int p = intField(source, lineNo, f[3 + k], "predecessor");
                if (p < 0 || p >= total) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": task " + id + " names predecessor "
                            + p + ", which does not exist (tasks 0.." + (total - 1) + ")");
                }
                edges.add(new TaskGraph.Edge(p, i, 0));
            }
            ids.add(String.valueOf(id));
        }
        return new TaskGraph(source, ids, cluster.processors(), TaskGraph.uniformCosts(work, cluster.speeds()), edges, 1,
                cluster.nodeOf());
    }

    /** Parses the HEFT papers' example format. */
    static TaskGraph heftExample(String source, JsonNode root) {
        List<String> procs = new ArrayList<>();
        root.path("processors").forEach(p -> procs.add(p.asText()));
        if (procs.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'processors' must list at least one processor");
        }
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        JsonNode tasks = root.path("tasks");
        double[][] cost = new double[tasks.size()][];
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode t = tasks.get(i);
            String id = t.path("id").asText(null);
            if (id == null || index.put(id, i) != null) {
                throw new IllegalArgumentException(source + ": tasks[" + i + "].id is " + (id == null ? "missing"
                        : "'" + id + "', used twice"));
            }
            ids.add(id);
            JsonNode c = t.path("cost");
            if (c.size() != procs.size()) {
                throw new IllegalArgumentException(source + ": tasks[" + i + "].cost has " + c.size() + " entries for "
                        + procs.size() + " processors");
            }
            cost[i] = new double[c.size()];
            for (int p = 0; p < c.size(); p++) {
                if (!c.get(p).isNumber() || c.get(p).asDouble() < 0) {
                    throw new IllegalArgumentException(source + ": tasks[" + i + "].cost[" + p + "] = " + c.get(p)
                            + " must be a number >= 0");
                }
                cost[i][p] = c.get(p).asDouble();
            }
        }
        List<TaskGraph.Edge> edges = new ArrayList<>();
        JsonNode es = root.path("edges");
        for (int i = 0; i < es.size(); i++) {
            JsonNode e = es.get(i);
            Integer from = index.get(e.path("src").asText());
            Integer to = index.get(e.path("dst").asText());
            if (from == null || to == null) {
                throw new IllegalArgumentException(source + ": edges[" + i + "] names a missing task ("
                        + (from == null ? "src '" + e.path("src").asText() + "'" : "dst '" + e.path("dst").asText() + "'")
                        + ")");
            }
            edges.add(new TaskGraph.Edge(from, to, e.path("data").asDouble(0)));
        }
        JsonNode bw = root.path("bandwidth");
        return new TaskGraph(source, ids, procs, cost, edges, bw.isNumber() ? bw.asDouble() : 1);
    }

    /** The first non-blank line at or after {@code from}. */
    private static int skipBlank(List<String> lines, int from) {
        int i = from;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    private static int intField(String source, int line, String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ":" + line + ": " + what + " '" + text + "' is not an integer");
        }
    }
}
