package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import java.util.List;

/**
 * What the learner answers {@code GetView} with: its state without the recorded jobs themselves
 * (only their count, so the answer stays small enough to cross nodes), and whether a search is
 * running.
 *
 * @param state       the learner's state, its {@code recent} jobs left out
 * @param recentJobs  how many recorded jobs a search would replay
 * @param objective   what its searches minimise, in words
 */
public record LearnerView(LearnerState state, int recentJobs, boolean searching, String objective)
        implements CborSerializable {

    /** The view of {@code state}. */
    static LearnerView of(LearnerState state, boolean searching, Objective objective) {
        LearnerState small = new LearnerState(state.model(), List.of(), state.jobsSinceSearch(), state.generation(),
                state.progress(), state.deployment(), state.latestVersion(), state.history(), state.trial(),
                state.dispatchMs());
        return new LearnerView(small, state.recent().size(), searching, objective.describe());
    }
}
