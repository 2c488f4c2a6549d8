package dev.colony.actors.node;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The offers a node has made and not yet seen accepted, declined or expired. Their CPUs count
 * toward the load the node quotes in later offers, so tasks negotiating at the same moment do not
 * all pick the same idle node. Owned by one node actor; not thread-safe.
 */
final class OfferBook {

    private record Open(double cpus, long validUntilMs) {
    }

    // Insertion order is expiry order: every offer lives for the same offer-ttl.
    private final LinkedHashMap<Long, Open> open = new LinkedHashMap<>();
    private double promisedCpus;

    /** Records offer {@code offerId} of {@code cpus}, valid until {@code validUntilMs}. */
    void opened(long offerId, double cpus, long validUntilMs) {
        open.put(offerId, new Open(cpus, validUntilMs));
        promisedCpus += cpus;
    }

    /** Forgets offer {@code offerId}: accepted, declined, or unknown (already expired). */
    void closed(long offerId) {
        Open o = open.remove(offerId);
        if (o != null) {
            promisedCpus -= o.cpus();
        }
    }

    /** CPUs promised by offers still open at {@code nowMs}. */
    double promisedCpus(long nowMs) {
        Iterator<Open> it = open.values().iterator();
        while (it.hasNext()) {
            Open o = it.next();
            if (o.validUntilMs() >= nowMs) {
                break;
            }
            promisedCpus -= o.cpus();
            it.remove();
        }
        if (open.isEmpty()) {
            promisedCpus = 0; // no drift from floating-point sums
        }
        return promisedCpus;
    }
}
