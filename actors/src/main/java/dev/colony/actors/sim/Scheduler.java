package dev.colony.actors.sim;

import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.TaskOrdering;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Something that schedules a whole task graph: HEFT, an evolved plan, or the runtime's placement
 * policies run in the {@link ClusterSimulator}.
 */
public interface Scheduler {

    /** Name in reports, e.g. {@code heft} or {@code least-loaded/fifo}. */
    String name();

    /** Schedules {@code g}. */
    Schedule schedule(TaskGraph g);

    /** A scheduler called {@code name} that runs {@code how}. */
    static Scheduler of(String name, Function<TaskGraph, Schedule> how) {
        record Named(String name, Function<TaskGraph, Schedule> how) implements Scheduler {
            @Override
            public Schedule schedule(TaskGraph g) {
                return how.apply(g);
            }
        }
        return new Named(name, how);
    }

    /** HEFT. */
    static Scheduler heft() {
        return of("heft", Heft::schedule);
    }

    /** A built-in placement policy with a task ordering, simulated with {@code seed}. */
    static Scheduler simulated(String policy, TaskOrdering ordering, long seed) {
        PlacementPolicies.create(policy); // fails early, naming the known ones
        return of(policy + "/" + ordering.label(),
                g -> ClusterSimulator.run(g, PlacementPolicies.create(policy), ordering, seed));
    }

    /** A plan evolved for each workload ({@link PlanEvolution}), starting from HEFT's genome. */
    static Scheduler evolved(GeneticSearch.Settings settings) {
        return of("evolved", g -> PlanEvolution.evolve(g, settings).schedule());
    }

    /** Every built-in policy with {@code ordering}, then HEFT. */
    static List<Scheduler> builtIn(TaskOrdering ordering, long seed) {
        List<Scheduler> all = new ArrayList<>();
        for (String p : PlacementPolicies.names()) {
            all.add(simulated(p, ordering, seed));
        }
        all.add(heft());
        return all;
    }
}
