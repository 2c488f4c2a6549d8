package dev.colony.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.policy.EvolvedPolicy;
import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.TaskOrdering;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The online policy's evolution in the simulator, on nodes of speed 1, 2 and 4 (the live test's cluster). */
class PolicyEvolutionTest {

    private static final Cluster NODES = Cluster.parse("1x1@1,1x1@2,1x1@4");

    /** Random DAG jobs of spin-like tasks (work 5 to 50 at speed 1), no data. */
    static List<TaskGraph> jobs(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TaskGraph> jobs = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int n = 8 + r.nextInt(12);
            List<String> ids = new ArrayList<>();
            double[] work = new double[n];
            List<TaskGraph.Edge> edges = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("t" + i);
                work[i] = 5 + r.nextInt(46);
                for (int k = 0; k < i; k++) {
                    if (r.nextDouble() < 0.2) {
                        edges.add(new TaskGraph.Edge(k, i, 0));
                    }
                }
            }
            jobs.add(new TaskGraph("job" + j, ids, NODES.processors(), TaskGraph.uniformCosts(work, NODES.speeds()), edges,
                    1, NODES.nodeOf()));
        }
        return jobs;
    }

    private static double mean(List<TaskGraph> jobs, String policy) {
        double sum = 0;
        for (TaskGraph g : jobs) {
            sum += ClusterSimulator.run(g, PlacementPolicies.create(policy), TaskOrdering.FIFO, 1).check().makespan();
        }
        return sum / jobs.size();
    }

    @Test
    void shouldLearnAPolicyThatBeatsRoundRobinOnJobsItHasNotSeen() {
        List<TaskGraph> recorded = jobs(1, 8);
        List<TaskGraph> unseen = jobs(2, 8);
        GeneticSearch.Settings settings = new GeneticSearch.Settings(30, 30, 2, 5);
        PolicyGenome start = new PolicyGenome(new double[PolicyGenome.FEATURES.length], TaskOrdering.FIFO, 0, 0, 1e9); // indifferent: first offer
        GeneticSearch.Found<PolicyGenome> found = PolicyEvolution.evolve(recorded, start, settings, 1);
        assertTrue(found.fitness() <= PolicyEvolution.fitness(recorded, start, 1) + 1e-9);
        double evolved = PolicyEvolution.fitness(unseen, found.best(), 1);
        double roundRobin = mean(unseen, "round-robin");
        double leastLoaded = mean(unseen, "least-loaded");
        System.out.printf("unseen jobs, mean makespan: evolved %.1f, round-robin %.1f, least-loaded %.1f; genome: %s%n",
                evolved, roundRobin, leastLoaded, found.best().describe());
        assertTrue(evolved <= 0.7 * roundRobin, "evolved " + evolved + " vs round-robin " + roundRobin);
        assertTrue(evolved <= leastLoaded, "evolved " + evolved + " vs least-loaded " + leastLoaded);
    }

    @Test
    void shouldReplayForASeedAndKeepTheGenomeWithinItsRanges() {
        List<TaskGraph> recorded = jobs(3, 4);
        GeneticSearch.Settings settings = new GeneticSearch.Settings(12, 8, 1, 9);
        var a = PolicyEvolution.evolve(recorded, PolicyGenome.EARLIEST_FINISH, settings, 1);
        var b = PolicyEvolution.evolve(recorded, PolicyGenome.EARLIEST_FINISH, new GeneticSearch.Settings(12, 8, 2, 9), 1);
        assertEquals(a.best(), b.best());
        assertEquals(a.bestPerGeneration(), b.bestPerGeneration());
        assertTrue(a.best().candidates() <= 3 && a.best().concurrency() <= 1, a.best().describe());
        assertEquals(a.best(), PolicyEvolution.decode(PolicyEvolution.encode(a.best(), 3, 1)));
    }

    @Test
    void shouldScoreOffersByItsWeights() {
        var fast = new dev.colony.actors.node.NodeReply.Offer("fast", null, 1, 1, Long.MAX_VALUE, 0.5, 1, 4_000, 4,
                dev.colony.actors.job.ResourceRequest.NONE);
        var idle = new dev.colony.actors.node.NodeReply.Offer("idle", null, 1, 2, Long.MAX_VALUE, 0, 0, 0, 1,
                dev.colony.actors.job.ResourceRequest.NONE);
        var request = new dev.colony.actors.policy.PlacementRequest("j", "t", "spin", dev.colony.actors.job.ResourceRequest.ONE_CPU,
                1, 1, 20_000, 0, java.util.Map.of());
        // earliest finish: fast = 4 s wait + 5 s run; idle = 0 + 20 s
        var policy = new EvolvedPolicy(PolicyGenome.EARLIEST_FINISH, 3);
        assertEquals("fast", policy.choose(request, List.of(idle, fast), new SplittableRandom(1)).orElseThrow().nodeName());
        assertEquals(9.0, policy.score(request, fast), 1e-9);
        assertEquals("evolved-v3", policy.name());
    }
}
