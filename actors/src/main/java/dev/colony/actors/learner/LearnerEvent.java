package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.monitor.Feedback;
import dev.colony.actors.policy.PolicyGenome;
import java.util.List;

/** What the learner journals, in the past tense: the input of {@link LearnerState#apply}. */
public sealed interface LearnerEvent extends CborSerializable {

    /** A batch of a node's feedback was learned from (written before the monitor's batch is confirmed). */
    record FeedbackApplied(Feedback feedback) implements LearnerEvent {
    }

    /**
     * A genetic search ran over the recorded workload.
     *
     * @param bestPerGeneration best simulated objective after each of its generations
     * @param incumbentFitness  the incumbent's simulated objective on the same workload
     * @param jobs              recorded jobs replayed
     */
    record Searched(int population, List<Double> bestPerGeneration, PolicyGenome best, double bestFitness,
                    double incumbentFitness, int jobs, long atMs) implements LearnerEvent {

        /** Copies the list. */
        public Searched {
            bestPerGeneration = List.copyOf(bestPerGeneration);
        }
    }

    /** Version {@code version} went on trial on {@code slice} of live jobs. */
    record CanaryStarted(long version, PolicyGenome genome, double slice, double simulated, double incumbentSimulated,
                         String reason, long atMs) implements LearnerEvent {
    }

    /** The trial of {@code version} ended: promoted to incumbent, or rolled back. */
    record CanaryEnded(long version, boolean promoted, PolicyRecord.Live live, String reason, long atMs)
            implements LearnerEvent {
    }
}
