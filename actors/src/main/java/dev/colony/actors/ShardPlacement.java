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
 * Places shard {@code s} of every entity type that uses it on the same member: the member whose
 * address scores highest for {@code s} (rendezvous hashing), among the members that are up. Jobs
 * and tasks share shard ids (a task's shard is its job's, see {@code TaskShards}), so a job and its
 * tasks live in one process and their messages never cross processes; only task↔node ones may.
 *
 * <p>When members join or leave, only the shards whose best member changed move (a few per
 * rebalance round, both entity types alike), so the two types agree again after a few rounds.
 */
public final class ShardPlacement extends ShardCoordinator.AbstractShardAllocationStrategy {

    private final Supplier<Address> self;
    private final Supplier<Set<Address>> up;
    private final int movesPerRound;

    /**
     * A placement that asks {@code system}'s cluster which members are up, moving at most
     * {@code movesPerRound} shards per rebalance round.
     */
    public static ShardPlacement of(akka.actor.typed.ActorSystem<?> system, int movesPerRound) {
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        return new ShardPlacement(cluster::selfAddress, () -> {
            Set<Address> up = new HashSet<>();
            for (Member m : cluster.state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up.add(m.address());
                }
            }
            return up;
        }, movesPerRound);
    }

    ShardPlacement(Supplier<Address> self, Supplier<Set<Address>> up, int movesPerRound) {
        this.self = self;
        this.up = up;
        this.movesPerRound = movesPerRound;
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        ActorRef best = best(shardId, current.keySet(), up.get());
        return Future.successful(best != null ? best : requester);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        Set<Address> members = up.get();
        Set<String> moves = new HashSet<>();
        for (var e : current.entrySet()) {
            var shards = e.getValue().iterator();
            while (shards.hasNext() && moves.size() < movesPerRound) {
                String shard = shards.next();
                ActorRef best = best(shard, current.keySet(), members);
                if (best != null && !best.equals(e.getKey()) && !inProgress.contains(shard)) {
                    moves.add(shard);
                }
            }
        }
        return Future.successful(moves);
    }

    /** The region, among {@code regions} of members in {@code members}, that should hold {@code shardId}; null if none. */
    private ActorRef best(String shardId, Collection<ActorRef> regions, Set<Address> members) {
        Map<Address, ActorRef> byMember = new HashMap<>();
        for (ActorRef r : regions) {
            Address a = address(r);
            if (members.contains(a)) {
                byMember.put(a, r);
            }
        }
        Address owner = owner(shardId, byMember.keySet());
        return owner == null ? null : byMember.get(owner);
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

    private Address address(ActorRef region) {
        Address a = region.path().address();
        return a.hasLocalScope() ? self.get() : a;
    }

    /** How much shard {@code shardId} wants member {@code member} (the same on every member). */
    private static long score(String shardId, Address member) {
        long h = shardId.hashCode() * 0x9E3779B97F4A7C15L ^ member.toString().hashCode();
        h ^= h >>> 33; // murmur3's finaliser: every input bit reaches every output bit
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
    }
}
