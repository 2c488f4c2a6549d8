package dev.colony.actors.sim;

import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.EliteSelector;
import io.jenetics.GaussianMutator;
import io.jenetics.Genotype;
import io.jenetics.MeanAlterer;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionInit;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.util.BatchExecutor;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Evolves a {@link PlanGenome} for one workload with Jenetics: fitness is the makespan of
 * {@link EvolvedPlanner}'s schedule. The first population holds HEFT's genome, so the result is
 * never worse than HEFT's priority. Deterministic for a seed: selection and alteration run on the
 * calling thread with a seeded generator; only fitness evaluation (deterministic itself) runs on
 * the bounded thread budget.
 */
public final class PlanEvolution {

    /**
     * How hard to search.
     *
     * @param population  genomes per generation, at least 2
     * @param generations generations, at least 1
     * @param threads     threads evaluating fitness, at least 1
     * @param seed        seed of the search
     */
    public record Settings(int population, int generations, int threads, long seed) {

        /** Checks ranges. */
        public Settings {
            if (population < 2) {
                throw new IllegalArgumentException("population = " + population + " must be at least 2");
            }
            if (generations < 1 || threads < 1) {
                throw new IllegalArgumentException("generations and threads must be at least 1, got " + generations
                        + " and " + threads);
            }
        }
    }

    /**
     * What the search found.
     *
     * @param best          the best genome
     * @param schedule      its schedule
     * @param bestPerGeneration the best makespan after each generation
     */
    public record Result(PlanGenome best, Schedule schedule, List<Double> bestPerGeneration) {
    }

    private static final double SEEDS = 1e9;

    private PlanEvolution() {
    }

    /** Searches a genome for {@code g}. */
    public static Result evolve(TaskGraph g, Settings settings) {
        double[][] features = EvolvedPlanner.features(g);
        ExecutorService pool = settings.threads() > 1 ? Executors.newFixedThreadPool(settings.threads(),
                Thread.ofPlatform().daemon().name("colony-evolution-", 1).factory()) : null;
        try {
            Engine<DoubleGene, Double> engine = Engine.builder(
                            (Genotype<DoubleGene> gt) -> EvolvedPlanner.schedule(g, features, decode(gt)).makespan(),
                            Genotype.of(DoubleChromosome.of(-1, 1, PlanGenome.FEATURES), DoubleChromosome.of(0, 1, 1),
                                    DoubleChromosome.of(0, SEEDS, 1)))
                    .minimizing()
                    .populationSize(settings.population())
                    .executor(Runnable::run)
                    .fitnessExecutor(pool == null ? BatchExecutor.of(Runnable::run) : BatchExecutor.of(pool))
                    .survivorsSelector(new EliteSelector<DoubleGene, Double>(2, new TournamentSelector<>(3)))
                    .offspringSelector(new TournamentSelector<>(3))
                    .alterers(new UniformCrossover<>(0.3), new MeanAlterer<>(0.2), new GaussianMutator<>(0.25))
                    .build();
            List<Double> progress = new ArrayList<>();
            EvolutionResult<DoubleGene, Double> result = RandomRegistry.with(new SplittableRandom(settings.seed()))
                    .call(() -> engine.stream(EvolutionInit.of(ISeq.<Genotype<DoubleGene>>of(encode(PlanGenome.HEFT)), 1L))
                            .limit(settings.generations())
                            .peek(r -> progress.add(r.bestFitness()))
                            .collect(EvolutionResult.toBestEvolutionResult()));
            PlanGenome best = decode(result.bestPhenotype().genotype());
            return new Result(best, EvolvedPlanner.schedule(g, features, best), List.copyOf(progress));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
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
