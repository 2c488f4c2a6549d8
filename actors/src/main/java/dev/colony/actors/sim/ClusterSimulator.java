package dev.colony.actors.sim;

import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply.Offer;
import dev.colony.actors.policy.EvolvedPolicy;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PlacementRequest;
import dev.colony.actors.policy.TaskOrdering;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event model of Colony running one task graph, driven by the runtime's own
 * {@link PlacementPolicy}. As in the runtime, a task is placed when it becomes ready (its parents
 * finished), from offers that state each node's expected wait, load and speed. It then waits in
 * that node's queue. A node (the graph's processors grouped by {@link TaskGraph#nodeOf}, one task
 * per core) starts the next waiting task whose inputs have arrived, in its {@link TaskOrdering}.
 * Deterministic for a seed.
 */
public final class ClusterSimulator {

    /** Simulated time units per offer millisecond: offers carry whole milliseconds. */
    private static final double MS_PER_UNIT = 1000;
    // event kinds; at one instant: finishes, then placements, then starts, so a node chooses among
    // every task that became ready at that instant
    private static final int FINISHED = 0;
    private static final int READY = 1;
    private static final int WAKE = 2;

    /** A task in a node's queue, with what the ordering sees of it. */
    private record Queued(int task, TaskOrdering.Waiting seen) {
    }

    private final TaskGraph g;
    private final PlacementPolicy policy;
    private final Comparator<TaskOrdering.Waiting> order;
    private final SplittableRandom random;
    private final double[] rank;
    private final List<NodeDescriptor> nodes = new ArrayList<>();
    private final java.util.Map<String, Integer> nodeIndex = new java.util.HashMap<>();
    private final List<int[]> cores = new ArrayList<>(); // node -> its processors
    private final List<PriorityQueue<Queued>> queues = new ArrayList<>(); // node -> its waiting tasks, in order
    private final double[] freeAt; // per processor
    private final double[] queuedWork; // per node
    private final int[] processor;
    private final double[] start;
    private final double[] finish;
    private final int[] waitingParents;
    private final PriorityQueue<double[]> events = new PriorityQueue<>((x, y) -> x[0] != y[0]
            ? Double.compare(x[0], y[0]) : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
    private long seq;

    private final int concurrency;

    private ClusterSimulator(TaskGraph g, PlacementPolicy policy, TaskOrdering ordering, int concurrency, long seed) {
        this.concurrency = concurrency;
        this.g = g;
        this.policy = policy;
        this.order = ordering.comparator();
        this.random = new SplittableRandom(seed);
        this.rank = Heft.upwardRanks(g);
        int procs = g.processors().size();
        int nodeCount = 0;
        for (int p = 0; p < procs; p++) {
            nodeCount = Math.max(nodeCount, g.nodeOf(p) + 1);
        }
        for (int n = 0; n < nodeCount; n++) {
            final int node = n;
            int[] mine = java.util.stream.IntStream.range(0, procs).filter(p -> g.nodeOf(p) == node).toArray();
            if (mine.length == 0) {
                throw new IllegalArgumentException(g.name() + ": node " + n + " has no processor");
            }
            cores.add(mine);
            String name = mine.length == 1 ? g.processors().get(mine[0]) : "node" + (n + 1);
            nodeIndex.put(name, nodes.size());
            double speed = Double.isNaN(g.nodeSpeed(n)) ? relativeSpeed(g, mine[0]) : g.nodeSpeed(n);
            nodes.add(new NodeDescriptor(name, null, ResourceRequest.cpus(mine.length), speed));
            queues.add(new PriorityQueue<>((x, y) -> order.compare(x.seen(), y.seen())));
        }
        freeAt = new double[procs];
        queuedWork = new double[nodeCount];
        processor = new int[g.size()];
        start = new double[g.size()];
        finish = new double[g.size()];
        waitingParents = new int[g.size()];
    }

    /** Runs {@code g} to the end and answers the schedule that resulted. */
    public static Schedule run(TaskGraph g, PlacementPolicy policy, TaskOrdering ordering, long seed) {
        return run(g, policy, ordering, 0, seed);
    }

    /** As {@link #run(TaskGraph, PlacementPolicy, TaskOrdering, long)}, at most {@code concurrency} tasks per node (0: one per core). */
    public static Schedule run(TaskGraph g, PlacementPolicy policy, TaskOrdering ordering, int concurrency, long seed) {
        return new ClusterSimulator(g, policy, ordering, concurrency, seed).simulate();
    }

    /** {@link EvolvedPolicy} with its genome's ordering and concurrency. */
    public static Schedule run(TaskGraph g, EvolvedPolicy policy, long seed) {
        return run(g, policy, policy.genome().ordering(), policy.genome().concurrency(), seed);
    }

    private Schedule simulate() {
        for (int t = 0; t < g.size(); t++) {
            waitingParents[t] = g.in(t).size();
            if (waitingParents[t] == 0) {
                push(0, READY, t);
            }
        }
        while (!events.isEmpty()) {
            double[] e = events.poll();
            double now = e[0];
            int what = (int) e[3];
            if (e[1] == READY) {
                place(now, what);
            } else if (e[1] == WAKE) {
                startNext(now, what);
            } else {
                for (TaskGraph.Edge out : g.out(what)) {
                    if (--waitingParents[out.to()] == 0) {
                        push(now, READY, out.to());
                    }
                }
                push(now, WAKE, g.nodeOf(processor[what]));
            }
        }
        return new Schedule(g, processor, start, finish);
    }

    private void place(double now, int task) {
        long inputBytes = 0;
        java.util.Map<String, Long> bytesOn = new java.util.HashMap<>();
        for (TaskGraph.Edge e : g.in(task)) {
            long bytes = Math.round(e.data());
            inputBytes += bytes;
            bytesOn.merge(nodes.get(g.nodeOf(processor[e.from()])).name(), bytes, Long::sum);
        }
        double atSpeedOne = Double.isNaN(g.nodeSpeed(0)) ? g.meanCost(task) : g.cost(task, cores.get(0)[0]) * g.nodeSpeed(0);
        PlacementRequest request = new PlacementRequest(g.name(), g.ids().get(task), "sim", ResourceRequest.cpus(1), 1, 1,
                atSpeedOne * MS_PER_UNIT, inputBytes, bytesOn);
        List<NodeDescriptor> asked = policy.candidates(request, nodes, random);
        List<Offer> offers = new ArrayList<>();
        for (NodeDescriptor d : asked) {
            int n = nodeIndex.get(d.name());
            int busy = 0;
            double soonest = Double.MAX_VALUE;
            for (int p : cores.get(n)) {
                busy += freeAt[p] > now ? 1 : 0;
                soonest = Math.min(soonest, Math.max(0, freeAt[p] - now));
            }
            int queued = queues.get(n).size();
            double wait = busy < cores.get(n).length && queued == 0 ? 0 : soonest + queuedWork[n] / cores.get(n).length;
            offers.add(new Offer(d.name(), null, 1, seq++, Long.MAX_VALUE, (busy + queued) / (double) cores.get(n).length,
                    queued, Math.round(wait * MS_PER_UNIT), d.speedFactor(),
                    ResourceRequest.cpus(cores.get(n).length - busy)));
        }
        Optional<Offer> chosen = policy.choose(request, offers, random);
        String name = chosen.map(Offer::nodeName).orElseThrow(() ->
                new IllegalStateException(policy.name() + " chose no offer for " + g.ids().get(task)));
        int n = nodeIndex.get(name);
        int p0 = cores.get(n)[0];
        queues.get(n).add(new Queued(task, new TaskOrdering.Waiting(seq++, g.cost(task, p0), rank[task], 0)));
        queuedWork[n] += g.cost(task, p0);
        push(now, WAKE, n);
    }

    /**
     * Starts waiting tasks whose inputs are on node {@code n}, while it has a free core: the first in
     * the ordering whose inputs have arrived. The queue is kept in that order (the ordering is total:
     * ties fall back to arrival), so a start looks at the tasks ahead of the one it takes, not the
     * whole queue (a scan per start made a search over 1,000-task jobs quadratic).
     */
    private void startNext(double now, int n) {
        PriorityQueue<Queued> queue = queues.get(n);
        while (!queue.isEmpty()) {
            int free = -1;
            int running = 0;
            for (int p : cores.get(n)) {
                if (freeAt[p] > now) {
                    running++;
                } else if (free < 0) {
                    free = p;
                }
            }
            if (concurrency > 0 && running >= concurrency) {
                free = -1;
            }
            if (free < 0) {
                return; // a finish wakes the node
            }
            Queued best = null;
            double earliest = Double.MAX_VALUE;
            List<Queued> notYet = new ArrayList<>(0);
            while (!queue.isEmpty()) {
                Queued q = queue.poll();
                double arrives = inputsArrive(q.task(), free);
                if (arrives <= now) {
                    best = q;
                    break;
                }
                earliest = Math.min(earliest, arrives);
                notYet.add(q);
            }
            queue.addAll(notYet);
            if (best == null) {
                push(earliest, WAKE, n); // no input is here yet: look again when the first arrives
                return;
            }
            int t = best.task();
            queuedWork[n] -= g.cost(t, free);
            processor[t] = free;
            start[t] = now;
            finish[t] = now + g.cost(t, free);
            freeAt[free] = finish[t];
            push(finish[t], FINISHED, t);
        }
    }

    private double inputsArrive(int task, int p) {
        double at = 0;
        for (TaskGraph.Edge e : g.in(task)) {
            at = Math.max(at, finish[e.from()] + g.comm(e, processor[e.from()], p));
        }
        return at;
    }

    private void push(double time, int kind, int what) {
        events.add(new double[] {time, kind, seq++, what});
    }

    /** Mean over tasks of (mean cost / cost here): 1 for identical processors, 2 for twice as fast. */
    private static double relativeSpeed(TaskGraph g, int p) {
        double sum = 0;
        int counted = 0;
        for (int t = 0; t < g.size(); t++) {
            if (g.cost(t, p) > 0) {
                sum += g.meanCost(t) / g.cost(t, p);
                counted++;
            }
        }
        return counted == 0 ? 1 : sum / counted;
    }
}
