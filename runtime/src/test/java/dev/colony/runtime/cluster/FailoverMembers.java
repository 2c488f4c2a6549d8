package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.runtime.Colony;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The three members of a failover test: two runtimes in this JVM ({@code m1}, the seed, and
 * {@code m3}) and a {@code colony node} process ({@code victim}) to {@code kill -9}, all on
 * PostgreSQL, with a split brain resolver and a job redelivery quick enough for a test.
 */
final class FailoverMembers {

    /** Short enough for a test; the same on every member. */
    static final String FAST_DOWNING = "akka.cluster.split-brain-resolver.stable-after = 3s";
    /** A task entity lost with the killed member is restarted by its job's next redelivery. */
    static final String FAST_REDELIVERY = "colony.jobs.redeliver-every = 2s";

    private FailoverMembers() {
    }

    /** Runtime {@code name} on {@code port}, joining the seed on {@code seedPort} (itself when equal). */
    static Colony member(Path dir, String name, int port, int seedPort, String policy) {
        return Members.start(dir, name, 2, port, seedPort == port ? List.of() : List.of("127.0.0.1:" + seedPort),
                PostgresServer.journalConfig() + """

                colony.start-timeout = 90s
                colony.placement.policy = %s
                colony.learner.enabled = off
                %s
                %s
                """.formatted(policy, FAST_DOWNING, FAST_REDELIVERY));
    }

    /** The {@code colony node} process "victim", joining the seed on {@code seedPort}. */
    static NodeProcess victim(Path dir, int seedPort, String policy) throws java.io.IOException {
        return NodeProcess.start(dir.resolve("victim.out"), "--name", "victim", "--port",
                String.valueOf(NodeProcess.freePort()), "--seed", "127.0.0.1:" + seedPort, "--cpus", "2",
                "--memory", "1g", "--data-dir", dir.resolve("victim").toString(), "--policy", policy,
                "--set", "colony.learner.enabled=off", "--set", FAST_DOWNING.replace(" = ", "="),
                "--set", FAST_REDELIVERY.replace(" = ", "="));
    }

    /** Waits until both runtimes know all three nodes: a job and its tasks may live on either. */
    static void awaitViews(TestProbe<Object> probe, Colony first, Colony third) {
        probe.awaitAssert(Duration.ofSeconds(60), () -> {
            assertEquals(Set.of("m1", "m3", "victim"), names(first.nodes()));
            assertEquals(Set.of("m1", "m3", "victim"), names(third.nodes()));
            return null;
        });
    }

    static Set<String> names(List<NodeDescriptor> nodes) {
        return nodes.stream().map(NodeDescriptor::name).collect(Collectors.toSet());
    }
}
