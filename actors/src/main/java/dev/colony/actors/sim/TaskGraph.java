package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DAG of tasks with a run time per (task, processor) and a data volume per edge: the input of
 * every scheduler here. Communication between two different processors takes
 * {@code data / bandwidth}; on the same processor it is free. Immutable; indices are the order of
 * {@link #ids()}.
 */
public final class TaskGraph {

    /**
     * A dependency: {@code to} starts after {@code from} finished and its data arrived.
     *
     * @param data volume sent (time units at bandwidth 1)
     */
    public record Edge(int from, int to, double data) {
    }

    private final String name;
    private final List<String> ids;
    private final List<String> processors;
    private final double[][] cost;
    private final List<Edge> edges;
    private final double bandwidth;
    private final List<List<Edge>> in;
    private final List<List<Edge>> out;
    private final int[] topological;
    private final int[] nodeOf;
    private double[] nodeSpeeds; // declared speed per node, or null: set only by withNodeSpeeds

    /**
     * Checks and indexes a graph.
     *
     * @param cost {@code cost[task][processor]}: run time, at least 0
     * @throws IllegalArgumentException naming the task or edge: a negative or missing cost, an edge
     *                                  to an unknown task, a cycle (with its tasks)
     */
    public TaskGraph(String name, List<String> ids, List<String> processors, double[][] cost, List<Edge> edges,
                     double bandwidth) {
        this(name, ids, processors, cost, edges, bandwidth, null);
    }

    /**
     * A graph whose processors are the cores of nodes: {@code nodeOf[p]} is processor p's node, and
     * data moves between cores of one node for free.
     */
    public TaskGraph(String name, List<String> ids, List<String> processors, double[][] cost, List<Edge> edges,
                     double bandwidth, int[] nodeOf) {
        this.name = name;
        if (nodeOf != null && nodeOf.length != processors.size()) {
            throw new IllegalArgumentException(name + ": " + nodeOf.length + " node indices for " + processors.size()
                    + " processors");
        }
        this.nodeOf = nodeOf == null ? java.util.stream.IntStream.range(0, processors.size()).toArray() : nodeOf.clone();
        this.ids = List.copyOf(ids);
        this.processors = List.copyOf(processors);
        this.edges = List.copyOf(edges);
        this.bandwidth = bandwidth;
        int n = ids.size();
        if (processors.isEmpty()) {
            throw new IllegalArgumentException(name + ": no processors");
        }
        if (!(bandwidth > 0)) {
            throw new IllegalArgumentException(name + ": bandwidth " + bandwidth + " must be > 0");
        }
        if (cost.length != n) {
            throw new IllegalArgumentException(name + ": " + cost.length + " cost rows for " + n + " tasks");
        }
        this.cost = new double[n][];
        for (int i = 0; i < n; i++) {
            if (cost[i].length != processors.size()) {
                throw new IllegalArgumentException(name + ": task '" + ids.get(i) + "' has " + cost[i].length
                        + " costs for " + processors.size() + " processors");
            }
            for (double c : cost[i]) {
                if (!(c >= 0) || Double.isInfinite(c)) {
                    throw new IllegalArgumentException(name + ": task '" + ids.get(i) + "' has run time " + c
                            + "; run times must be finite and >= 0");
                }
            }
            this.cost[i] = cost[i].clone();
        }
        in = new ArrayList<>();
        out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(new ArrayList<>());
            out.add(new ArrayList<>());
        }
        for (Edge e : edges) {
            if (e.from() < 0 || e.from() >= n || e.to() < 0 || e.to() >= n) {
                throw new IllegalArgumentException(name + ": edge " + e + " names a task outside 0.." + (n - 1));
            }
            if (!(e.data() >= 0)) {
                throw new IllegalArgumentException(name + ": edge " + ids.get(e.from()) + " -> " + ids.get(e.to())
                        + " has data " + e.data() + "; must be >= 0");
            }
            out.get(e.from()).add(e);
            in.get(e.to()).add(e);
        }
        topological = sortTopologically();
    }

    /** Kahn's algorithm; on a cycle, names the tasks left on it. */
    private int[] sortTopologically() {
        int n = ids.size();
        int[] indegree = new int[n];
        edges.forEach(e -> indegree[e.to()]++);
        int[] order = new int[n];
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                order[tail++] = i;
            }
        }
        while (head < tail) {
            for (Edge e : out.get(order[head++])) {
                if (--indegree[e.to()] == 0) {
                    order[tail++] = e.to();
                }
            }
        }
        if (tail < n) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < n && stuck.size() < 10; i++) {
                if (indegree[i] > 0) {
                    stuck.add(ids.get(i));
                }
            }
            throw new IllegalArgumentException(name + ": dependency cycle among " + (n - tail) + " tasks, e.g. "
                    + stuck);
        }
        return order;
    }

    public String name() {
        return name;
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> processors() {
        return processors;
    }

    /** Run time of {@code task} on {@code processor}. */
    public double cost(int task, int processor) {
        return cost[task][processor];
    }

    /** Mean run time of {@code task} over the processors. */
    public double meanCost(int task) {
        return Arrays.stream(cost[task]).average().orElse(0);
    }

    public List<Edge> edges() {
        return edges;
    }

    /** Edges into {@code task}. */
    public List<Edge> in(int task) {
        return in.get(task);
    }

    /** Edges out of {@code task}. */
    public List<Edge> out(int task) {
        return out.get(task);
    }

    /** Time to move an edge's data from processor {@code p} to {@code q}: 0 on the same node. */
    public double comm(Edge e, int p, int q) {
        return nodeOf[p] == nodeOf[q] ? 0 : e.data() / bandwidth;
    }

    /** The node processor {@code p} belongs to. */
    public int nodeOf(int p) {
        return nodeOf[p];
    }

    /** Time to move an edge's data between two different processors. */
    public double comm(Edge e) {
        return e.data() / bandwidth;
    }

    /** Task indices, parents before children. */
    /**
     * The same graph with each node's declared speed, which the simulator's offers then state (as
     * the runtime's do) instead of a speed inferred from run times.
     */
    public TaskGraph withNodeSpeeds(double[] speeds) {
        int nodes = java.util.Arrays.stream(nodeOf).max().orElse(0) + 1;
        if (speeds.length != nodes) {
            throw new IllegalArgumentException(name + ": " + speeds.length + " speeds for " + nodes + " nodes");
        }
        TaskGraph g = new TaskGraph(name, ids, processors, cost, edges, bandwidth, nodeOf);
        g.nodeSpeeds = speeds.clone();
        return g;
    }

    /** The declared speed of node {@code node}, or NaN when the graph has none. */
    public double nodeSpeed(int node) {
        return nodeSpeeds == null ? Double.NaN : nodeSpeeds[node];
    }

    public int[] topologicalOrder() {
        return topological.clone();
    }

    /** The same graph on other processors: {@code cost[task][p] = work[task] / speed[p]}. */
    public static double[][] uniformCosts(double[] work, double[] speeds) {
        double[][] c = new double[work.length][speeds.length];
        for (int i = 0; i < work.length; i++) {
            for (int p = 0; p < speeds.length; p++) {
                c[i][p] = work[i] / speeds[p];
            }
        }
        return c;
    }
}
