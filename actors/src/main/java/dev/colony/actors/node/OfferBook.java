package dev.colony.actors.node;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The offers a node has made and not yet seen accepted, declined or expired. Their CPUs count
 * toward the load, and their tasks' expected run times toward the wait, the node quotes in later
 * offers, so tasks negotiating at the same moment do not all pick the same idle node. Owned by one node actor; not thread-safe.
 */
final class OfferBook {

    private record Open(double cpus, double expectedMs, long validUntilMs) {
    }

    // Insertion order is expiry order: every offer lives for the same offer-ttl.
    private final LinkedHashMap<Long, Open> open = new LinkedHashMap<>();
    private double promisedCpus;
    private double promisedMs;

    /**
     * Records offer {@code offerId} of {@code cpus} for a task expected to run {@code expectedMs}
     * here, valid until {@code validUntilMs}.
     */
    void opened(long offerId, double cpus, double expectedMs, long validUntilMs) {
        open.put(offerId, new Open(cpus, expectedMs, validUntilMs));
        promisedCpus += cpus;
        promisedMs += expectedMs;
    }

    /** Forgets offer {@code offerId}: accepted, declined, or unknown (already expired). */
    void closed(long offerId) {
        Open o = open.remove(offerId);
        if (o != null) {
            forget(o);
        }
    }

    private void forget(Open o) {
        promisedCpus -= o.cpus();
        promisedMs -= o.expectedMs();
    }

    /** CPUs promised by offers still open at {@code nowMs}. */
    double promisedCpus(long nowMs) {
        expire(nowMs);
        return promisedCpus;
    }

    /** Expected run time here of the tasks of offers still open at {@code nowMs}. */
    double promisedMs(long nowMs) {
        expire(nowMs);
        return Math.max(0, promisedMs);
    }

    /** Offers still open at {@code nowMs}. */
    int count(long nowMs) {
        expire(nowMs);
        return open.size();
    }

    private void expire(long nowMs) {
        Iterator<Open> it = open.values().iterator();
        while (it.hasNext()) {
            Open o = it.next();
            if (o.validUntilMs() >= nowMs) {
                break;
            }
            forget(o);
            it.remove();
        }
        if (open.isEmpty()) {
            promisedCpus = 0; // no drift from floating-point sums
            promisedMs = 0;
        }
    }

    /**
     * The wait a task accepted now would have on {@code node}: until the first of its slots (one
     * per whole cpu) frees up, plus the expected work already waiting spread over the slots. The
     * same estimate the simulator's offers make, so policies learned there read offers alike here.
     * Open offers count as queued tasks: tasks negotiating at once do not all see an idle node.
     */
    static long expectedWaitMs(NodeSettings node, java.util.Collection<Grant> grants, NodeQueue queue,
                               OfferBook offers, long now) {
        int slots = Math.max(1, (int) node.capacity().cpus());
        if (grants.size() + queue.size() + offers.count(now) < slots) {
            return 0;
        }
        double soonest = grants.size() < slots ? 0 : Double.MAX_VALUE;
        for (Grant g : grants) {
            double left = g.running == null ? g.expectedMs : Math.max(0, g.startedAtMs + g.expectedMs - now);
            soonest = Math.min(soonest, left);
        }
        return (long) Math.ceil(soonest + (queue.expectedMs() + offers.promisedMs(now)) / slots);
    }
}
