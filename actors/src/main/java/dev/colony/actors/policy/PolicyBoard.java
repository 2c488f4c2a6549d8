package dev.colony.actors.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process's view of the deployed placement policies, shared by its job manager (which assigns
 * each new job a version) and its tasks (which place with the version their job was assigned). The
 * learner's deployments reach it through Distributed Data. Thread-safe.
 *
 * <p>Assignment is deterministic, not random: each job adds the canary slice to a credit, and a job
 * that brings the credit to 1 goes to the canary, so the canary never gets more than its slice of
 * a process's jobs (rounded down).
 */
public final class PolicyBoard {

    private static final int KEPT_VERSIONS = 16;

    private final PlacementPolicy base;
    private final Map<Long, PlacementPolicy> versions = new ConcurrentHashMap<>();
    private volatile Deployment deployment = Deployment.INITIAL;
    private volatile RunEstimates estimates = RunEstimates.NONE;
    private double credit;

    /** A board whose version 0 is {@code base}. */
    public PolicyBoard(PlacementPolicy base) {
        this.base = base;
    }

    /** The deployment in force. */
    public Deployment deployment() {
        return deployment;
    }

    /** Puts {@code d} in force; later jobs are assigned by it. */
    public synchronized void deploy(Deployment d) {
        if (d.equals(deployment)) {
            return;
        }
        if (d.canary() != deployment.canary()) {
            credit = 0;
        }
        remember(d.incumbent(), d.incumbentGenome());
        remember(d.canary(), d.canaryGenome());
        deployment = d;
        long latest = Math.max(d.incumbent(), d.canary());
        versions.keySet().removeIf(v -> v != d.incumbent() && v < latest - KEPT_VERSIONS);
    }

    private void remember(long version, PolicyGenome genome) {
        if (version > 0) {
            versions.putIfAbsent(version, new EvolvedPolicy(genome, version));
        }
    }

    /** The version a new job is placed with: the canary for its slice of jobs, else the incumbent. */
    public synchronized long assign() {
        Deployment d = deployment;
        if (!d.hasCanary()) {
            return d.incumbent();
        }
        credit += d.canarySlice();
        if (credit >= 1 - 1e-9) {
            credit -= 1;
            return d.canary();
        }
        return d.incumbent();
    }

    /**
     * The policy of {@code version}; the incumbent when this process does not know the version
     * (the deployment naming it has not arrived yet, or it was forgotten long ago).
     */
    public PlacementPolicy policy(long version) {
        if (version == 0) {
            return base;
        }
        PlacementPolicy p = versions.get(version);
        if (p != null) {
            return p;
        }
        long incumbent = deployment.incumbent();
        return incumbent == 0 ? base : versions.getOrDefault(incumbent, base);
    }

    /** The learner's latest run-time estimates. */
    public RunEstimates estimates() {
        return estimates;
    }

    /** Puts what the learner published in force. */
    public void update(PolicyUpdate u) {
        deploy(u.deployment());
        estimates = u.estimates();
    }

    /** The configured built-in policy (version 0). */
    public PlacementPolicy base() {
        return base;
    }
}
