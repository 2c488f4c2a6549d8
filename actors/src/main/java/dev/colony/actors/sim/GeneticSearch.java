package dev.colony.actors.sim;

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
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The genetic search both evolutions share, on Jenetics: minimises a fitness over genomes encoded
 * as double genes, starting from a population that holds a given genome (so the result is never
 * worse than it), keeping the two best of each generation. Deterministic for a seed whatever the
 * thread count: selection and alteration run on the calling thread with a seeded generator; only
 * fitness evaluation, which must be deterministic itself, runs on the thread budget.
 */
public final class GeneticSearch {

    /**
     * How hard to search.
     *
     * @param population  genomes per generation, at least 2
     * @param generations generations, at least 1
     * @param threads     threads evaluating fitness, at least 1
     * @param seed        seed of the search
     */
    public record Settings(int population, int generations, int threads, long seed) {

        /** Checks ranges, naming the setting. */
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
     * What a search found.
     *
     * @param best              the best genome
     * @param fitness           its fitness
     * @param bestPerGeneration the best fitness after each generation
     */
    public record Found<T>(T best, double fitness, List<Double> bestPerGeneration) {
    }

    private GeneticSearch() {
    }

    /**
     * Runs the search.
     *
     * @param shape   the genotype's chromosomes and gene ranges
     * @param decode  genotype to genome
     * @param fitness the value to minimise
     * @param start   a genotype the first population holds
     */
    public static <T> Found<T> minimise(Genotype<DoubleGene> shape, Function<Genotype<DoubleGene>, T> decode,
                                        ToDoubleFunction<T> fitness, Genotype<DoubleGene> start, Settings settings) {
        ExecutorService pool = settings.threads() > 1 ? Executors.newFixedThreadPool(settings.threads(),
                Thread.ofPlatform().daemon().name("colony-evolution-", 1).factory()) : null;
        try {
            Engine<DoubleGene, Double> engine = Engine.builder((Genotype<DoubleGene> gt) -> fitness.applyAsDouble(
                            decode.apply(gt)), shape)
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
                    .call(() -> engine.stream(EvolutionInit.of(ISeq.<Genotype<DoubleGene>>of(start), 1L))
                            .limit(settings.generations())
                            .peek(r -> progress.add(r.bestFitness()))
                            .collect(EvolutionResult.toBestEvolutionResult()));
            return new Found<>(decode.apply(result.bestPhenotype().genotype()), result.bestFitness(),
                    List.copyOf(progress));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
