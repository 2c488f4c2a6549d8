package dev.colony.runtime.cli;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.learner.Dispatch;
import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.policy.EvolvedPolicy;
import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.TaskOrdering;
import dev.colony.actors.sim.Cluster;
import dev.colony.actors.sim.ClusterSimulator;
import dev.colony.actors.sim.GeneticSearch;
import dev.colony.actors.sim.PolicyEvolution;
import dev.colony.actors.sim.Schedule;
import dev.colony.actors.sim.TaskGraph;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench schedule --live}: runs a workload graph on a real embedded runtime, its tasks as
 * {@code spin} kernels whose work is each task's run time at speed 1, on nodes made from the
 * cluster description, and compares the measured makespan with the simulator's for the same
 * policy, told the runtime's dispatch overhead per task as measured on a calibration run (as the
 * learner's replays are): the model error. Live tasks move no data, so the simulation drops the graph's transfer
 * costs too. HEFT and evolved plans are static schedules, not online policies: they have no live
 * run.
 */
final class LiveSchedule {

    /**
     * One policy's comparison.
     *
     * @param simulatedMs the simulator's makespan, each task charged the dispatch overhead
     * @param liveMs      the measured makespan (job completion time) of the last of the runs
     * @param dispatchMs  the runtime's overhead per task, measured on the calibration run
     */
    record Result(String policy, double simulatedMs, double liveMs, double dispatchMs) {

        /** (live − simulated) / live. */
        double modelError() {
            return (liveMs - simulatedMs) / liveMs;
        }
    }

    private final Cluster cluster;
    private final double msPerUnit;
    private final int runs;

    LiveSchedule(Cluster cluster, double msPerUnit, int runs) {
        this.cluster = cluster;
        this.msPerUnit = msPerUnit;
        this.runs = runs;
    }

    /**
     * Runs {@code g} live with every built-in policy, then with an online placement genome evolved
     * for it in the simulator ({@code search}), as the learner would.
     */
    List<Result> run(TaskGraph g, GeneticSearch.Settings search) throws Exception {
        List<Result> results = new ArrayList<>();
        for (String policy : PlacementPolicies.names()) {
            results.add(measure(g, policy, null));
        }
        results.add(measure(g, "round-robin", search));
        return results;
    }

    /**
     * On a fresh runtime placing with {@code policy} (or, with {@code search}, with a genome evolved
     * for the graph): after a warm-up run, a calibration run measures the dispatch overhead per
     * task, the simulator schedules the graph with that overhead, and the last of the live runs is
     * measured.
     */
    private Result measure(TaskGraph g, String policy, GeneticSearch.Settings search) throws Exception {
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(
                config(policy, search != null))))) {
            TaskGraph plain = inSeconds(g, 0);
            run(colony, spec(plain, "warm-up")); // the JIT compiles the runtime's paths
            JobSpec spec = spec(plain, "calibration");
            double dispatchMs = Dispatch.overheadMs(JobRecord.of(spec, run(colony, spec), 0,
                    t -> t.params().get("work").asDouble()));
            TaskGraph charged = inSeconds(g, dispatchMs);
            Schedule sim;
            if (search == null) {
                sim = ClusterSimulator.run(charged, PlacementPolicies.create(policy), TaskOrdering.PRIORITY, 1);
            } else {
                PolicyGenome genome = PolicyEvolution.evolve(List.of(charged), PolicyGenome.EARLIEST_FINISH, search, 1,
                        r -> r.makespans()[0], true).best();
                while (colony.estimates().fits().get("spin") == null) {
                    TimeUnit.MILLISECONDS.sleep(50); // the genome reads the learner's run-time estimates
                }
                colony.tryPolicy(genome, "bench schedule --live").toCompletableFuture().get(30, TimeUnit.SECONDS);
                sim = ClusterSimulator.run(charged, new EvolvedPolicy(genome, 1), 1);
            }
            double last = 0;
            for (int r = 0; r < runs; r++) {
                last = run(colony, spec(plain, "run-" + r)).elapsedMs();
            }
            return new Result(search == null ? policy : "evolved online policy", sim.makespan() * 1000, last,
                    dispatchMs);
        }
    }

    /**
     * The graph in seconds (a unit being {@code msPerUnit} ms, as the learner's replays are), with
     * its nodes' declared speeds and no transfer costs, each task charged {@code dispatchMs}.
     */
    private TaskGraph inSeconds(TaskGraph g, double dispatchMs) {
        List<TaskGraph.Edge> edges = g.edges().stream().map(e -> new TaskGraph.Edge(e.from(), e.to(), 0)).toList();
        double[][] cost = new double[g.size()][];
        for (int t = 0; t < g.size(); t++) {
            cost[t] = new double[g.processors().size()];
            for (int p = 0; p < cost[t].length; p++) {
                cost[t][p] = (g.cost(t, p) * msPerUnit + dispatchMs) / 1000;
            }
        }
        return new TaskGraph(g.name(), g.ids(), g.processors(), cost, edges, 1e9, cluster.nodeOf())
                .withNodeSpeeds(cluster.nodes().stream().mapToDouble(Cluster.Node::speed).toArray());
    }

    /** The graph (in seconds, without overhead) as a job of spin tasks. */
    private static JobSpec spec(TaskGraph g, String id) {
        List<TaskSpec> tasks = new ArrayList<>();
        int p0 = 0;
        for (int t = 0; t < g.size(); t++) {
            List<String> parents = new ArrayList<>();
            for (TaskGraph.Edge e : g.in(t)) {
                parents.add(g.ids().get(e.from()));
            }
            double work = g.cost(t, p0) * g.nodeSpeed(g.nodeOf(p0)) * 1000;
            tasks.add(TaskSpec.of(g.ids().get(t), "spin", Map.of("work", work)).withDependsOn(parents));
        }
        return JobSpec.of("live-" + id, tasks);
    }

    private static JobResult run(Colony colony, JobSpec spec) throws Exception {
        JobResult r = colony.submit(spec).toCompletableFuture().get(1, TimeUnit.HOURS);
        if (!r.succeeded()) {
            throw new IllegalStateException("live run " + spec.id() + " failed: " + r.reason());
        }
        return r;
    }

    private String config(String policy, boolean learner) {
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < cluster.nodes().size(); i++) {
            Cluster.Node n = cluster.nodes().get(i);
            String node = String.format(Locale.ROOT, "{ name = \"%s\", cpus = %d, memory = 1GiB, speed-factor = %s }",
                    n.name(), n.cores(), n.speed());
            nodes.append(i == 0 ? "colony.node = " + node + "\ncolony.nodes = [" : (i > 1 ? ", " : "") + node);
        }
        return nodes + "]\n" + """
                colony.persistence.journal = memory
                colony.placement.policy = "%s"
                colony.learner { enabled = %s, evolve-after-jobs = 1000000, publish-every = 100ms,
                  canary { slice = 1, min-jobs = 1000, max-jobs = 1000 } }
                akka.loglevel = WARNING
                """.formatted(policy, learner);
    }
}
