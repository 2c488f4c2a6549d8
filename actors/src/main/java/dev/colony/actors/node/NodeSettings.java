package dev.colony.actors.node;

import dev.colony.actors.job.ResourceRequest;

/**
 * How one node behaves. Read from {@code colony.node.*} / {@code colony.nodes} by the runtime.
 *
 * @param name         unique name in the cluster
 * @param capacity     resources it offers in total
 * @param speedFactor  declared speed relative to 1.0; scales {@code spin} work
 * @param offerTtlMs   how long an offer may be accepted
 * @param leaseTtlMs   how long a granted lease waits for its {@code Run} before it lapses
 * @param maxQueue     most accepted offers waiting for resources; more are declined
 * @param keepReportsMs how long after an attempt ends its report is kept for a task that did not
 *                      hear it and asks again (at most {@link Leases#MAX_KEPT_REPORTS} are kept)
 * @param reuseLimit    how many attempts in a row one job's tasks may run on a lease handed on
 *                      (0: leases are never handed on)
 * @param reuseIdleMs   how long a lease handed on waits for the job's next task before it ends
 * @param reuseMaxRunMs a lease is handed on only after an attempt that ran at most this long: for
 *                      tiny tasks negotiating costs more than where they run; longer ones are
 *                      placed by the placement policy (and the learner) each time
 */
public record NodeSettings(String name, ResourceRequest capacity, double speedFactor, long offerTtlMs,
                           long leaseTtlMs, int maxQueue, long keepReportsMs, int reuseLimit, long reuseIdleMs,
                           long reuseMaxRunMs) {

    /** Checks values so that a bad setting fails at start with the key named. */
    public NodeSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("colony.node.name must not be empty");
        }
        if (!(capacity.cpus() > 0)) {
            throw new IllegalArgumentException("node '" + name + "': cpus = " + capacity.cpus() + " must be > 0");
        }
        if (!(speedFactor > 0 && speedFactor <= 1000)) {
            throw new IllegalArgumentException("node '" + name + "': speed-factor = " + speedFactor + " must lie in (0, 1000]");
        }
        if (offerTtlMs < 1 || leaseTtlMs < 1 || maxQueue < 1 || keepReportsMs < 1) {
            throw new IllegalArgumentException("node '" + name + "': offer-ttl, lease-ttl, max-queue and keep-reports "
                    + "must be positive");
        }
        if (reuseLimit < 0 || reuseIdleMs < 1 || reuseMaxRunMs < 0) {
            throw new IllegalArgumentException("node '" + name + "': lease-reuse.limit = " + reuseLimit
                    + " and lease-reuse.max-run = " + reuseMaxRunMs + " ms must be >= 0, lease-reuse.idle = "
                    + reuseIdleMs + " ms positive");
        }
    }

    /** Settings whose leases are handed on after attempts of up to 20 ms, up to 100 times, waiting 50 ms each. */
    public NodeSettings(String name, ResourceRequest capacity, double speedFactor, long offerTtlMs, long leaseTtlMs,
                        int maxQueue, long keepReportsMs) {
        this(name, capacity, speedFactor, offerTtlMs, leaseTtlMs, maxQueue, keepReportsMs, 100, 50, 20);
    }

    /** A node with default timings: offers valid 5 s, leases 10 s, queue of 100,000, reports kept 60 s. */
    public static NodeSettings of(String name, ResourceRequest capacity, double speedFactor) {
        return new NodeSettings(name, capacity, speedFactor, 5_000, 10_000, 100_000, 60_000);
    }
}
