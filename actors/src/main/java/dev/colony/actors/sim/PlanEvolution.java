package dev.colony.actors.sim;

import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import java.util.List;

/**
 * Evolves a {@link PlanGenome} for one workload ({@link GeneticSearch}): fitness is the makespan
 * of {@link EvolvedPlanner}'s schedule; the search starts from HEFT's genome.
 */
public final class PlanEvolution {

    /**
     * What the search found.
     *
     * @param best              the best genome
     * @param schedule          its schedule
     * @param bestPerGeneration the best makespan after each generation
     */
    public record Result(PlanGenome best, Schedule schedule, List<Double> bestPerGeneration) {
    }

    private static final double SEEDS = 1e9;

    private PlanEvolution() {
    }

    /** Searches a genome for {@code g}. */
    public static Result evolve(TaskGraph g, GeneticSearch.Settings settings) {
        double[][] features = EvolvedPlanner.features(g);
        GeneticSearch.Found<PlanGenome> found = GeneticSearch.minimise(
                Genotype.of(DoubleChromosome.of(-1, 1, PlanGenome.FEATURES), DoubleChromosome.of(0, 1, 1),
                        DoubleChromosome.of(0, SEEDS, 1)),
                PlanEvolution::decode, p -> EvolvedPlanner.schedule(g, features, p).makespan(), encode(PlanGenome.HEFT),
                settings);
        return new Result(found.best(), EvolvedPlanner.schedule(g, features, found.best()), found.bestPerGeneration());
    }

    static PlanGenome decode(Genotype<DoubleGene> gt) {
        double[] w = new double[PlanGenome.FEATURES];
        for (int i = 0; i < w.length; i++) {
            w[i] = gt.get(0).get(i).doubleValue();
        }
        return new PlanGenome(w, gt.get(1).gene().doubleValue(), (long) gt.get(2).gene().doubleValue());
    }

    static Genotype<DoubleGene> encode(PlanGenome p) {
        double[] w = p.weights();
        DoubleGene[] genes = new DoubleGene[w.length];
        for (int i = 0; i < w.length; i++) {
            genes[i] = DoubleGene.of(w[i], -1, 1);
        }
        return Genotype.of(DoubleChromosome.of(genes), DoubleChromosome.of(DoubleGene.of(p.jitter(), 0, 1)),
                DoubleChromosome.of(DoubleGene.of(p.seed(), 0, SEEDS)));
    }
}
