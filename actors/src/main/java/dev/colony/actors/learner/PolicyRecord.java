package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.policy.PolicyGenome;

/**
 * One policy version in the learner's history ({@code colony learner history}).
 *
 * @param status             {@code on trial}, {@code promoted} or {@code rolled back}
 * @param simulated          its objective replaying the recorded workload in the simulator
 * @param incumbentSimulated the incumbent's on the same workload
 * @param live               its live comparison with the incumbent (null before any)
 * @param reason             why it went on trial, and why it was promoted or rolled back
 */
public record PolicyRecord(long version, PolicyGenome genome, String status, double simulated,
                           double incumbentSimulated, Live live, String reason, long startedAtMs, long endedAtMs)
        implements CborSerializable {

    /**
     * The live comparison of a canary with the incumbent over the jobs that ended during its trial.
     * Each job's value is its completion time over its work at speed 1 (its slowdown), so jobs of
     * different sizes compare.
     *
     * @param pBetter one-sided p-value of "the canary's mean is lower" (Welch's t-test)
     */
    public record Live(int canaryJobs, double canaryMean, int canaryFailed, int incumbentJobs, double incumbentMean,
                       int incumbentFailed, double pBetter) implements CborSerializable {
    }

    /** This record ended with {@code status}. */
    PolicyRecord ended(String newStatus, Live liveResult, String why, long atMs) {
        return new PolicyRecord(version, genome, newStatus, simulated, incumbentSimulated, liveResult,
                reason + "; " + why, startedAtMs, atMs);
    }
}
