package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;

/**
 * What the learner answers {@code GetView} with: its whole state, and whether a search is running.
 *
 * @param objective what its searches minimise, in words
 */
public record LearnerView(LearnerState state, boolean searching, String objective) implements CborSerializable {
}
