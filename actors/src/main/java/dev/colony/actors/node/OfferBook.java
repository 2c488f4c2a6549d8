package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.job.ResourceRequest;
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
     * Opens offer {@code offerId} of {@code node} ({@code self}, holding {@code leases} with
     * {@code queue} waiting) for the task of {@code m}, expected to run {@code expectedHereMs} here:
     * the offer quotes the node's load, queue, expected wait and free capacity.
     */
    NodeReply.Offer open(NodeSettings node, ActorRef<Node.Command> self, Node.RequestOffer m, long offerId,
                         double expectedHereMs, Leases leases, NodeQueue queue, long now) {
        double promised = promisedCpus(now);
        ResourceRequest reserved = leases.reserved();
        double load = (reserved.cpus() + queue.cpus() + promised) / node.capacity().cpus();
        boolean startsNow = queue.isEmpty()
                && reserved.plus(ResourceRequest.cpus(promised)).plus(m.resources()).fitsIn(node.capacity());
        long waitMs = startsNow ? 0 : expectedWaitMs(node, leases.all(), queue, this, now);
        opened(offerId, m.resources().cpus(), expectedHereMs, now + node.offerTtlMs());
        return new NodeReply.Offer(node.name(), self, m.round(), offerId, now + node.offerTtlMs(), load, queue.size(),
                waitMs, node.speedFactor(), node.capacity().minus(reserved));
    }

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
