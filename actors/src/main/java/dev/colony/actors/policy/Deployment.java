package dev.colony.actors.policy;

import dev.colony.actors.CborSerializable;

/**
 * Which placement policies the learner has deployed: the incumbent every job gets, and a canary a
 * slice of jobs gets while the learner compares the two. Version 0 is the configured built-in
 * policy (its genome is null); evolved versions count from 1.
 *
 * @param incumbent       version most jobs get
 * @param incumbentGenome its genome, null for version 0
 * @param canary          version on trial, 0 when there is none
 * @param canaryGenome    its genome, null when there is none
 * @param canarySlice     share of jobs the canary gets, in (0, 1]
 */
public record Deployment(long incumbent, PolicyGenome incumbentGenome, long canary, PolicyGenome canaryGenome,
                         double canarySlice) implements CborSerializable {

    /** The deployment before the learner has changed anything: the built-in policy alone. */
    public static final Deployment INITIAL = new Deployment(0, null, 0, null, 1);

    /** Checks that each evolved version has a genome. */
    public Deployment {
        if (incumbent < 0 || canary < 0 || (incumbent > 0) != (incumbentGenome != null)
                || (canary > 0) != (canaryGenome != null)) {
            throw new IllegalArgumentException("deployment: versions " + incumbent + "/" + canary
                    + " must be >= 0 and have a genome exactly when > 0");
        }
        if (!(canarySlice > 0 && canarySlice <= 1)) {
            throw new IllegalArgumentException("deployment: canary slice " + canarySlice + " outside (0, 1]");
        }
    }

    /** Whether a canary is on trial. */
    public boolean hasCanary() {
        return canary > 0;
    }

    /** This deployment with {@code genome} on trial as version {@code version}. */
    public Deployment withCanary(long version, PolicyGenome genome, double slice) {
        return new Deployment(incumbent, incumbentGenome, version, genome, slice);
    }

    /** The canary made the incumbent. */
    public Deployment promoted() {
        return new Deployment(canary, canaryGenome, 0, null, canarySlice);
    }

    /** The canary withdrawn. */
    public Deployment rolledBack() {
        return new Deployment(incumbent, incumbentGenome, 0, null, canarySlice);
    }
}
