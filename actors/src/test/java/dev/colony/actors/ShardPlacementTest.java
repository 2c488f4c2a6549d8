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
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;
import org.junit.jupiter.api.Test;

/**
 * A job's tasks share its shard id; a shard goes to the region that asked for it, or, when the
 * coordinator asks itself (remembered jobs of a member that went) or the requester's member is
 * not up, where every member would put it.
 */
class ShardPlacementTest {

    static final int SHARDS = 100;
    static final Address A = new Address("akka", "colony", "127.0.0.1", 2551);
    static final Address B = new Address("akka", "colony", "127.0.0.1", 2552);
    static final Address C = new Address("akka", "colony", "127.0.0.1", 2553);

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

    @Test
    void shouldPlaceAShardWithItsRequesterButNeverOnTheCoordinatorThatAsksForRememberedEntities() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            ActorRef region = Adapter.toClassic(kit.createTestProbe().ref());
            ActorRef coordinator = Adapter.toClassic(kit.createTestProbe().ref());
            Address self = new Address("akka", "colony");
            var placement = new ShardPlacement(() -> self, () -> Set.of(self));
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
