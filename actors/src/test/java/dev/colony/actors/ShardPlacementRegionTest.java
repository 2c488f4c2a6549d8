package dev.colony.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real shard region tells which of its shards hold entities ({@link ShardPlacement#idle}: what
 * spread rebalancing asks before it moves a shard).
 */
class ShardPlacementRegionTest {

    private static final EntityTypeKey<ActorRef<String>> KEY = EntityTypeKey.create(
            (Class<ActorRef<String>>) (Class<?>) ActorRef.class, "PlacementProbe");

    @Test
    void shouldCountAShardWithAnEntityBusyAndOneWithoutIdle() throws Exception {
        ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.canonical.port = 0
                akka.remote.artery.canonical.hostname = 127.0.0.1
                """));
        try {
            Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
            ClusterSharding sharding = ClusterSharding.get(kit.system());
            // Entity "a" in shard "s1", "b" in "s2"; only "a" is ever started.
            ActorRef<akka.cluster.sharding.typed.ShardingEnvelope<ActorRef<String>>> region = sharding.init(Entity.of(KEY,
                    ctx -> Behaviors.receiveMessage(reply -> {
                        reply.tell("started");
                        return Behaviors.same();
                    })).withMessageExtractor(new akka.cluster.sharding.typed.ShardingMessageExtractor<>() {
                        @Override
                        public String entityId(akka.cluster.sharding.typed.ShardingEnvelope<ActorRef<String>> e) {
                            return e.entityId();
                        }

                        @Override
                        public String shardId(String entityId) {
                            return entityId.equals("a") ? "s1" : "s2";
                        }

                        @Override
                        public ActorRef<String> unwrapMessage(akka.cluster.sharding.typed.ShardingEnvelope<ActorRef<String>> e) {
                            return e.message();
                        }
                    }));
            TestProbe<String> probe = kit.createTestProbe();
            sharding.entityRefFor(KEY, "a").tell(probe.ref());
            probe.expectMessage(Duration.ofSeconds(20), "started");
            Set<String> idle = ShardPlacement.idle(Adapter.toClassic(region), Set.of("s1", "s2"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of("s2"), idle, "s1 holds entity a");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
