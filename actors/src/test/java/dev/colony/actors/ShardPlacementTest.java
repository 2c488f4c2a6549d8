package dev.colony.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.HashCodeMessageExtractor;
import dev.colony.actors.task.Task;
import dev.colony.actors.task.TaskShards;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;
import org.junit.jupiter.api.Test;

/**
 * A job's tasks share its shard id; a shard goes to the region that asked for it, or, when the
 * coordinator asks itself (remembered jobs of a member that went) or the requester's member is
 * not up, where every member would put it; spread, a shard always goes where every member would put it.
 */
class ShardPlacementTest {

    static final int SHARDS = 100;
    static final Address A = new Address("akka", "colony", "127.0.0.1", 2551);
    static final Address B = new Address("akka", "colony", "127.0.0.1", 2552);
    static final Address C = new Address("akka", "colony", "127.0.0.1", 2553);
    static final BiFunction<ActorRef, Set<String>, CompletionStage<Set<String>>> NO_IDLE =
            (region, shards) -> CompletableFuture.completedFuture(Set.of());

    @Test
    void shouldPutEveryTaskOnItsJobsShard() {
        var jobs = new HashCodeMessageExtractor<String>(SHARDS); // what job entities use
        var tasks = new TaskShards(SHARDS);
        for (int j = 0; j < 1_000; j++) {
            String job = "job-" + j;
            for (String t : List.of("t0", "a.b-c_d", "x")) {
                assertEquals(jobs.shardId(job), tasks.shardId(Task.entityId(job, t)), job + "/" + t);
            }
        }
    }

    @Test
    void shouldSpreadShardsOverTheMembersAndMoveOnlyTheLeaversShards() {
        Map<Address, Integer> counts = new HashMap<>();
        Map<String, Address> owners = new HashMap<>();
        for (int s = 0; s < SHARDS; s++) {
            Address owner = ShardPlacement.owner(String.valueOf(s), List.of(A, B, C));
            assertEquals(owner, ShardPlacement.owner(String.valueOf(s), List.of(C, A, B)), "order must not matter");
            owners.put(String.valueOf(s), owner);
            counts.merge(owner, 1, Integer::sum);
        }
        for (Address m : List.of(A, B, C)) {
            assertTrue(counts.getOrDefault(m, 0) >= 20, "each of 3 members holds a fair share: " + counts);
        }
        for (var e : owners.entrySet()) { // C leaves: only its shards move
            Address now = ShardPlacement.owner(e.getKey(), List.of(A, B));
            if (!e.getValue().equals(C)) {
                assertEquals(e.getValue(), now, "shard " + e.getKey() + " moved although its member stayed");
            }
        }
        assertNull(ShardPlacement.owner("1", List.of()));
    }

    /** A region (a probe) on each of A, B and C, by member; {@code members} gets each region's member. */
    private static Map<Address, ActorRef> regions(ActorTestKit kit, Map<ActorRef, Address> members) {
        Map<Address, ActorRef> regions = new HashMap<>();
        for (Address m : List.of(A, B, C)) {
            ActorRef region = Adapter.toClassic(kit.createTestProbe().ref());
            members.put(region, m);
            regions.put(m, region);
        }
        return regions;
    }

    @Test
    void shouldSpreadJobShardsOverTheMembersWhoeverAsks() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            Map<ActorRef, Address> members = new HashMap<>();
            Map<Address, ActorRef> regions = regions(kit, members);
            var empty = scala.jdk.javaapi.CollectionConverters.asScala(List.<String>of()).toIndexedSeq();
            Map<ActorRef, IndexedSeq<String>> current = new HashMap<>();
            regions.values().forEach(r -> current.put(r, empty));
            var spread = new ShardPlacement(members::get, true, NO_IDLE, () -> Set.of(A, B, C));
            var withRequester = new ShardPlacement(members::get, false, NO_IDLE, () -> Set.of(A, B, C));
            Map<Address, Integer> counts = new HashMap<>();
            for (int s = 0; s < SHARDS; s++) {
                String shard = String.valueOf(s);
                ActorRef got = Await.result(spread.allocateShard(regions.get(A), shard, current), Duration.Inf());
                assertEquals(regions.get(ShardPlacement.owner(shard, List.of(A, B, C))), got, "shard " + shard);
                counts.merge(members.get(got), 1, Integer::sum);
                assertEquals(regions.get(A), Await.result(withRequester.allocateShard(regions.get(A), shard, current),
                        Duration.Inf()), "with its requester");
            }
            for (Address m : List.of(A, B, C)) {
                assertTrue(counts.getOrDefault(m, 0) >= 20, "submissions to A spread over all 3 members: " + counts);
            }
            var bGone = new ShardPlacement(members::get, true, NO_IDLE, () -> Set.of(A, C));
            ActorRef got = Await.result(bGone.allocateShard(regions.get(A), "7", current), Duration.Inf());
            assertTrue(members.get(got).equals(A) || members.get(got).equals(C), "never on a member that is not up");
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldMoveOnlyIdleShardsToTheirMemberWhenSpread() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            Map<ActorRef, Address> members = new HashMap<>();
            Map<Address, ActorRef> regions = regions(kit, members);
            // A cluster restarted: A, up first, got every remembered shard; B and C joined since.
            List<String> all = new java.util.ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                all.add(String.valueOf(s));
            }
            var empty = scala.jdk.javaapi.CollectionConverters.asScala(List.<String>of()).toIndexedSeq();
            Map<ActorRef, IndexedSeq<String>> current = new HashMap<>(Map.of(regions.get(A),
                    scala.jdk.javaapi.CollectionConverters.asScala(all).toIndexedSeq(), regions.get(B), empty,
                    regions.get(C), empty));
            Set<String> busy = Set.of("3", "5", "8", "13", "21", "34", "55", "89"); // shards with a job running
            Map<ActorRef, Set<String>> asked = new HashMap<>();
            BiFunction<ActorRef, Set<String>, CompletionStage<Set<String>>> idle = (region, shards) -> {
                asked.put(region, shards);
                Set<String> free = new java.util.HashSet<>(shards);
                free.removeAll(busy);
                return CompletableFuture.completedFuture(free);
            };
            var spread = new ShardPlacement(members::get, true, idle, () -> Set.of(A, B, C));
            Set<String> moved = Await.result(spread.rebalance(current, Set.of()), Duration.Inf());
            assertEquals(ShardPlacement.MAX_MOVES, moved.size(), "at most so many at a time: " + moved);
            for (String s : moved) {
                assertTrue(!busy.contains(s), "shard " + s + " holds a running job: never moved");
                assertTrue(!ShardPlacement.owner(s, List.of(A, B, C)).equals(A), "shard " + s + " is where it belongs");
            }
            assertEquals(Set.of(regions.get(A)), asked.keySet(), "only A holds shards that are not where they belong");
            assertTrue(Await.result(spread.rebalance(current, Set.of("1")), Duration.Inf()).isEmpty(),
                    "one rebalance at a time");
            var withRequester = new ShardPlacement(members::get, false, idle, () -> Set.of(A, B, C));
            assertTrue(Await.result(withRequester.rebalance(current, Set.of()), Duration.Inf()).isEmpty(),
                    "with its requester: never moved");
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void shouldPlaceAShardWithItsRequesterButNeverOnTheCoordinatorThatAsksForRememberedEntities() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            ActorRef region = Adapter.toClassic(kit.createTestProbe().ref());
            ActorRef coordinator = Adapter.toClassic(kit.createTestProbe().ref());
            Address self = new Address("akka", "colony");
            var placement = new ShardPlacement(r -> self, false, NO_IDLE, () -> Set.of(self));
            Map<ActorRef, IndexedSeq<String>> current = Map.of(region,
                    scala.jdk.javaapi.CollectionConverters.asScala(List.<String>of()).toIndexedSeq());
            assertEquals(region, Await.result(placement.allocateShard(region, "7", current), Duration.Inf()));
            assertEquals(region, Await.result(placement.allocateShard(coordinator, "7", current), Duration.Inf()),
                    "the coordinator is no region");
            assertTrue(placement.rebalance(current, Set.of()).value().get().get().isEmpty(), "never moved");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
