package dev.colony.actors;

import akka.actor.ActorRef;
import akka.actor.Address;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Cluster;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardCoordinator;
import akka.cluster.sharding.ShardRegion;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Places shards in one of two ways. {@link #of} places a shard where it is first needed: on the
 * member whose region asked for it first. As only a job sends its tasks sharded messages and a
 * task's shard is its job's ({@code TaskShards}), a task shard goes to the member hosting its job:
 * a job and its tasks live in one process, and their messages never cross processes (only
 * task↔node ones may, and {@code colony.task.local-first-wait} keeps tiny tasks on local nodes).
 * {@link #spread} places every shard on the member rendezvous hashing picks among those that are
 * up, whoever asks: job shards then spread evenly over the members, so the member that takes the
 * submissions (an HTTP endpoint, an embedding service) does not coordinate every job of the
 * cluster alone ({@code colony.jobs.placement}). In both, when the requester's member is not up
 * (or the coordinator itself asks, to restart a gone member's remembered jobs), the shard goes to
 * the member rendezvous hashing picks among those that are up. Rebalancing never moves a shard
 * that holds entities (a moved job or task stops and starts again mid-run); spread, it moves idle
 * shards to where rendezvous hashing puts them ({@link #rebalance}).
 */
public final class ShardPlacement extends ShardCoordinator.AbstractShardAllocationStrategy {

    /** Most shards one rebalance moves. */
    static final int MAX_MOVES = 20;

    private final Function<ActorRef, Address> member;
    private final Supplier<Set<Address>> up;
    private final boolean spread;
    private final BiFunction<ActorRef, Set<String>, CompletionStage<Set<String>>> idle;

    /** A placement with the requester, that asks {@code system}'s cluster which members are up. */
    public static ShardPlacement of(akka.actor.typed.ActorSystem<?> system) {
        return create(system, false);
    }

    /** A placement by rendezvous hashing over the up members, whoever asks. */
    public static ShardPlacement spread(akka.actor.typed.ActorSystem<?> system) {
        return create(system, true);
    }

    private static ShardPlacement create(akka.actor.typed.ActorSystem<?> system, boolean spread) {
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        return new ShardPlacement(region -> region.path().address().hasLocalScope() ? cluster.selfAddress()
                : region.path().address(), spread, ShardPlacement::idle, () -> {
            Set<Address> up = new HashSet<>();
            for (Member m : cluster.state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up.add(m.address());
                }
            }
            return up;
        });
    }

    /**
     * {@code member}: a region's member; {@code idle}: which of some shards of a region hold no
     * entity now; {@code up}: the members that are up.
     */
    ShardPlacement(Function<ActorRef, Address> member, boolean spread,
                   BiFunction<ActorRef, Set<String>, CompletionStage<Set<String>>> idle, Supplier<Set<Address>> up) {
        this.member = member;
        this.spread = spread;
        this.idle = idle;
        this.up = up;
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        Set<Address> members = up.get();
        boolean requesterUp = members.contains(member.apply(requester)) || members.isEmpty();
        if (!spread && current.containsKey(requester) && requesterUp) {
            return Future.successful(requester);
        }
        // Spread, or not a region's request: the coordinator itself restarting remembered entities
        // (jobs) after their member went, or one from a member that is not up.
        Map<Address, ActorRef> byMember = upRegions(current);
        Address owner = owner(shardId, byMember.keySet());
        if (owner == null) { // no region of an up member: any region (the coordinator is none)
            return Future.successful(current.isEmpty() ? requester : current.keySet().iterator().next());
        }
        return Future.successful(byMember.get(owner));
    }

    /**
     * Spread: moves shards that are not on the member rendezvous hashing picks among those up (all
     * of them when a whole cluster restarts: its first member gets every remembered shard before
     * the others join) but only those that hold no entity, so no running job stops; at most
     * {@value #MAX_MOVES} at a time. With the requester: never.
     */
    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        if (!spread || !inProgress.isEmpty()) {
            return Future.successful(Set.of());
        }
        Set<Address> members = upRegions(current).keySet();
        List<CompletableFuture<Set<String>>> asks = new ArrayList<>();
        for (var e : current.entrySet()) {
            Address at = member.apply(e.getKey());
            Set<String> misplaced = new HashSet<>();
            for (String shard : CollectionConverters.asJava(e.getValue())) {
                Address owner = owner(shard, members);
                if (members.contains(at) && owner != null && !owner.equals(at)) {
                    misplaced.add(shard);
                }
            }
            if (!misplaced.isEmpty()) {
                asks.add(idle.apply(e.getKey(), misplaced).toCompletableFuture().exceptionally(failed -> Set.of()));
            }
        }
        CompletableFuture<Set<String>> moves = CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                .thenApply(v -> asks.stream().flatMap(a -> a.join().stream()).sorted().limit(MAX_MOVES)
                        .collect(Collectors.toSet()));
        return FutureConverters.asScala(moves);
    }

    /** Which of {@code shards} of {@code region} hold no entity now (its own account; none when it does not answer). */
    static CompletionStage<Set<String>> idle(ActorRef region, Set<String> shards) {
        return Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), Duration.ofSeconds(5)).thenApply(r -> {
            Set<String> idle = new HashSet<>(shards);
            for (ShardRegion.ShardState shard : ((ShardRegion.CurrentShardRegionState) r).getShards()) {
                if (!shard.getEntityIds().isEmpty()) {
                    idle.remove(shard.shardId());
                }
            }
            return idle;
        });
    }

    /** The regions of {@code current} on members that are up, by member. */
    private Map<Address, ActorRef> upRegions(Map<ActorRef, IndexedSeq<String>> current) {
        Set<Address> members = up.get();
        Map<Address, ActorRef> byMember = new HashMap<>();
        for (ActorRef r : current.keySet()) {
            if (members.contains(member.apply(r))) {
                byMember.put(member.apply(r), r);
            }
        }
        return byMember;
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
