package dev.colony.actors.sim;

import dev.colony.actors.policy.EvolvedPolicy;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.TaskOrdering;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Evolves the genome of the runtime's online {@link EvolvedPolicy} ({@link GeneticSearch}): its
 * fitness is an objective (by default the mean) of the makespans of a recorded workload's jobs (each graph one job) replayed in the
 * {@link ClusterSimulator}; the search starts from the incumbent genome, so it never returns a
 * worse one for that workload.
 */
public final class PolicyEvolution {

    private static final double MIN_GPU_LOG10 = 6;
    private static final double MAX_GPU_LOG10 = 13;

    private PolicyEvolution() {
    }

    /** Searches a genome for {@code workload} minimising mean makespan, simulating with {@code simulationSeed}. */
    public static GeneticSearch.Found<PolicyGenome> evolve(List<TaskGraph> workload, PolicyGenome incumbent,
                                                           GeneticSearch.Settings settings, long simulationSeed) {
        return evolve(workload, incumbent, settings, simulationSeed, r -> mean(r.makespans()), false);
    }

    /**
     * Searches a genome for {@code workload} minimising {@code objective} of the replayed jobs.
     * With {@code placementOnly} the node-side genes (ordering, concurrency, GPU threshold) stay
     * the incumbent's and ordering is {@link TaskOrdering#PRIORITY}, as live nodes run their queues,
     * and weights stay in [0, 1]: every feature is a cost, so no genome can prefer a longer wait or
     * queue — preferences that win in the simulator by its exact timing but do not carry over to
     * live nodes deciding concurrently.
     */
    public static GeneticSearch.Found<PolicyGenome> evolve(List<TaskGraph> workload, PolicyGenome incumbent,
                                                           GeneticSearch.Settings settings, long simulationSeed,
                                                           ToDoubleFunction<Replayed> objective,
                                                           boolean placementOnly) {
        if (workload.isEmpty()) {
            throw new IllegalArgumentException("policy evolution needs at least one recorded job");
        }
        int nodes = 1;
        int cores = 1;
        for (TaskGraph g : workload) {
            int[] perNode = new int[g.processors().size()];
            for (int p = 0; p < perNode.length; p++) {
                perNode[g.nodeOf(p)]++;
                nodes = Math.max(nodes, g.nodeOf(p) + 1);
            }
            for (int c : perNode) {
                cores = Math.max(cores, c);
            }
        }
        double minWeight = placementOnly ? 0 : -1;
        Genotype<DoubleGene> shape = Genotype.of(DoubleChromosome.of(minWeight, 1, PolicyGenome.FEATURES.length),
                DoubleChromosome.of(0, TaskOrdering.values().length), DoubleChromosome.of(0, nodes + 1),
                DoubleChromosome.of(0, cores + 1), DoubleChromosome.of(MIN_GPU_LOG10, MAX_GPU_LOG10));
        Function<Genotype<DoubleGene>, PolicyGenome> decode = placementOnly
                ? gt -> placementOnly(decode(gt), incumbent) : PolicyEvolution::decode;
        PolicyGenome start = placementOnly ? placementOnly(incumbent, incumbent) : incumbent;
        return GeneticSearch.minimise(shape, decode, genome -> objective.applyAsDouble(replay(workload,
                new EvolvedPolicy(genome, 0), simulationSeed)), encode(start, nodes, cores, minWeight), settings);
    }

    /** {@code genome}'s placement genes with {@code node}'s node-side genes and priority ordering. */
    public static PolicyGenome placementOnly(PolicyGenome genome, PolicyGenome node) {
        return new PolicyGenome(genome.weights(), TaskOrdering.PRIORITY, genome.candidates(), node.concurrency(),
                node.gpuOffloadMinFlops());
    }

    /**
     * A workload replayed: each job's makespan and the core time its tasks held (which a cluster
     * whose every core-second costs the same charges for).
     */
    public record Replayed(double[] makespans, double[] busy) {
    }

    /** Mean makespan of the workload under {@code genome}. */
    public static double fitness(List<TaskGraph> workload, PolicyGenome genome, long simulationSeed) {
        return mean(replay(workload, new EvolvedPolicy(genome, 0), simulationSeed).makespans());
    }

    /** {@code workload} under {@code policy}, with its genome's node genes. */
    public static Replayed replay(List<TaskGraph> workload, EvolvedPolicy policy, long simulationSeed) {
        return replay(workload, g -> ClusterSimulator.run(g, policy, simulationSeed));
    }

    /** {@code workload} under a built-in {@code policy}, nodes running their queues in priority order. */
    public static Replayed replay(List<TaskGraph> workload, PlacementPolicy policy, long simulationSeed) {
        return replay(workload, g -> ClusterSimulator.run(g, policy, TaskOrdering.PRIORITY, simulationSeed));
    }

    private static Replayed replay(List<TaskGraph> workload, Function<TaskGraph, Schedule> run) {
        double[] m = new double[workload.size()];
        double[] b = new double[workload.size()];
        for (int i = 0; i < m.length; i++) {
            Schedule s = run.apply(workload.get(i));
            m[i] = s.makespan();
            b[i] = s.busyTime();
        }
        return new Replayed(m, b);
    }

    private static double mean(double[] x) {
        return java.util.Arrays.stream(x).average().orElse(0);
    }

    static PolicyGenome decode(Genotype<DoubleGene> gt) {
        double[] w = new double[PolicyGenome.FEATURES.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = gt.get(0).get(i).doubleValue();
        }
        TaskOrdering[] orders = TaskOrdering.values();
        return new PolicyGenome(w, orders[Math.min(orders.length - 1, (int) gt.get(1).gene().doubleValue())],
                (int) gt.get(2).gene().doubleValue(), (int) gt.get(3).gene().doubleValue(),
                Math.pow(10, gt.get(4).gene().doubleValue()));
    }

    static Genotype<DoubleGene> encode(PolicyGenome p, int nodes, int cores) {
        return encode(p, nodes, cores, -1);
    }

    /** The genotype of {@code p}, its weights clamped to [minWeight, 1]. */
    static Genotype<DoubleGene> encode(PolicyGenome p, int nodes, int cores, double minWeight) {
        double[] w = p.weights();
        DoubleGene[] genes = new DoubleGene[w.length];
        for (int i = 0; i < w.length; i++) {
            genes[i] = DoubleGene.of(Math.max(minWeight, w[i]), minWeight, 1);
        }
        return Genotype.of(DoubleChromosome.of(genes),
                DoubleChromosome.of(DoubleGene.of(p.ordering().ordinal() + 0.5, 0, TaskOrdering.values().length)),
                DoubleChromosome.of(DoubleGene.of(Math.min(p.candidates(), nodes) + 0.5, 0, nodes + 1)),
                DoubleChromosome.of(DoubleGene.of(Math.min(p.concurrency(), cores) + 0.5, 0, cores + 1)),
                DoubleChromosome.of(DoubleGene.of(Math.clamp(Math.log10(Math.max(1, p.gpuOffloadMinFlops())),
                        MIN_GPU_LOG10, MAX_GPU_LOG10 - 1e-9), MIN_GPU_LOG10, MAX_GPU_LOG10)));
    }
}
