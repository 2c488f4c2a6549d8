package dev.colony.actors;

import akka.actor.ActorRef;
import akka.actor.Address;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Cluster;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardCoordinator;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places a shard where it is first needed: on the member whose region asked for it first. A job's
 * shard goes to the member it was submitted to (its job manager sends the first message), and,
 * as only a job sends its tasks sharded messages and a task's shard is its job's
 * ({@code TaskShards}), a task shard goes to the member hosting its job: a job and its tasks
 * live in one process, and their messages never cross processes (only task↔node ones may, and
 * {@code colony.task.local-first-wait} keeps tiny tasks on local nodes). When the requester's
 * member is not up (or the coordinator itself asks, to restart a gone member's remembered jobs),
 * the shard goes to the member rendezvous hashing picks among those that are up.
 * Shards are never moved by rebalancing: a moved job or task stops and starts again mid-run.
 */
public final class ShardPlacement extends ShardCoordinator.AbstractShardAllocationStrategy {

    private final Supplier<Address> self;
    private final Supplier<Set<Address>> up;

    /** A placement that asks {@code system}'s cluster which members are up. */
    public static ShardPlacement of(akka.actor.typed.ActorSystem<?> system) {
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        return new ShardPlacement(cluster::selfAddress, () -> {
            Set<Address> up = new HashSet<>();
            for (Member m : cluster.state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up.add(m.address());
                }
            }
            return up;
        });
    }

    ShardPlacement(Supplier<Address> self, Supplier<Set<Address>> up) {
        this.self = self;
        this.up = up;
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        Set<Address> members = up.get();
        if (current.containsKey(requester) && (members.contains(address(requester)) || members.isEmpty())) {
            return Future.successful(requester);
        }
        // Not a region's request: the coordinator itself restarting remembered entities (jobs) after
        // their member went, or one from a member that is not up.
        Map<Address, ActorRef> byMember = new HashMap<>();
        for (ActorRef r : current.keySet()) {
            if (members.contains(address(r))) {
                byMember.put(address(r), r);
            }
        }
        Address owner = owner(shardId, byMember.keySet());
        if (owner == null) { // no region of an up member: any region (the coordinator is none)
            return Future.successful(current.isEmpty() ? requester : current.keySet().iterator().next());
        }
        return Future.successful(byMember.get(owner));
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        return Future.successful(Set.of());
    }

    private Address address(ActorRef region) {
        Address a = region.path().address();
        return a.hasLocalScope() ? self.get() : a;
    }

    /** The member of {@code members} that should hold shard {@code shardId} (the same answer on every member); null if none. */
    static Address owner(String shardId, Collection<Address> members) {
        Address best = null;
        long bestScore = 0;
        for (Address a : members) {
            long score = score(shardId, a);
            if (best == null || score > bestScore || score == bestScore && a.toString().compareTo(best.toString()) < 0) {
                best = a;
                bestScore = score;
            }
        }
        return best;
    }

    /** How much shard {@code shardId} wants member {@code member}. */
    private static long score(String shardId, Address member) {
        long h = shardId.hashCode() * 0x9E3779B97F4A7C15L ^ member.toString().hashCode();
        h ^= h >>> 33; // murmur3's finaliser: every input bit reaches every output bit
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
    }
}
