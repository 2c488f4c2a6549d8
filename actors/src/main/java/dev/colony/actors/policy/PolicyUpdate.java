package dev.colony.actors.policy;

import dev.colony.actors.CborSerializable;

/**
 * What the learner publishes to every process (through Distributed Data): the deployed policies
 * and the run-time estimates tasks place with.
 */
public record PolicyUpdate(Deployment deployment, RunEstimates estimates) implements CborSerializable {
}
