package dev.colony.actors.learner;

import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.policy.Deployment;
import dev.colony.actors.policy.EvolvedPolicy;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.sim.GeneticSearch;
import dev.colony.actors.sim.PolicyEvolution;
import dev.colony.actors.sim.TaskGraph;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * One genetic search of the learner, run off the actor's thread on an immutable state: replays the
 * recent jobs on the cluster as it is now ({@link Replay}), evaluates the incumbent there, and
 * evolves the placement genes starting from the incumbent's genome (or, while the built-in policy
 * is the incumbent, from earliest-finish). Seeded by the learner's seed plus its generation, so a
 * restarted learner repeats the search it lost. Takes at most {@code share} of a core while it runs
 * ({@link DutyCycle}).
 */
final class Search {

    private final LearnerSettings settings;
    private final Supplier<List<NodeDescriptor>> nodes;
    private final PlacementPolicy base;
    private final InstantSource clock;

    Search(LearnerSettings settings, Supplier<List<NodeDescriptor>> nodes, PlacementPolicy base, InstantSource clock) {
        this.settings = settings;
        this.nodes = nodes;
        this.base = base;
        this.clock = clock;
    }

    /**
     * Searches for {@code state}'s recent jobs, resting after each candidate so as to take at most
     * {@code share} of a core (1: no rest).
     *
     * @throws IllegalStateException when no node is known
     */
    LearnerEvent.Searched run(LearnerState state, double share) {
        List<NodeDescriptor> cluster = nodes.get().stream().sorted(Comparator.comparing(NodeDescriptor::name)).toList();
        if (cluster.isEmpty()) {
            throw new IllegalStateException("no node is known: nothing to simulate");
        }
        List<TaskGraph> workload = Replay.workload(LearnerState.latest(state.recent(), settings.maxReplayTasks()),
                PerformanceModel.of(state.model()), cluster,
                state.dispatchMs());
        long seed = settings.seed() + state.generation();
        Deployment d = state.deployment();
        double incumbent = settings.objective().of(d.incumbent() == 0
                ? PolicyEvolution.replay(workload, base, seed)
                : PolicyEvolution.replay(workload, new EvolvedPolicy(d.incumbentGenome(), d.incumbent()), seed));
        PolicyGenome start = d.incumbent() == 0 ? PolicyGenome.EARLIEST_FINISH : d.incumbentGenome();
        DutyCycle cycle = DutyCycle.of(share);
        var found = PolicyEvolution.evolve(workload, start, new GeneticSearch.Settings(settings.population(),
                settings.generations(), settings.threads(), seed), seed, replayed -> {
                    double value = settings.objective().of(replayed);
                    cycle.step(); // rests after each candidate replayed
                    return value;
                }, true);
        return new LearnerEvent.Searched(settings.population(), found.bestPerGeneration(), found.best(),
                found.fitness(), incumbent, workload.size(), clock.millis());
    }

    /** Whether a search can run now: the cluster has a node to simulate. */
    boolean ready() {
        return !nodes.get().isEmpty();
    }
}
