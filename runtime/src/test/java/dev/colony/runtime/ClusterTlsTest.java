package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.internal.ClusterCertificates;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the cluster transport, with two and three actor systems in this JVM configured as
 * Colony configures Artery: a member with the cluster's certificate joins; one with another CA's, or
 * none, cannot.
 */
class ClusterTlsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        ClusterCertificates.init(dir.resolve("ours"), List.of("a", "b"), 2);
        ClusterCertificates.init(dir.resolve("rogue"), List.of("r"), 2);
    }

    private static Config colony(String certs, String member, int port) {
        return ConfigFactory.parseString("""
                colony.tls { keystore = "%1$s/%2$s.p12", truststore = "%1$s/trust.p12", password-file = "%1$s/password" }
                """.formatted(dir.resolve(certs), member)).withFallback(ConfigFactory.parseString(
                "colony.hostname = 127.0.0.1\ncolony.port = " + port));
    }

    /** A bare cluster member with Artery set up as ColonySettings sets it up from {@code colony}. */
    private static ActorSystem<Void> member(Config colony, int port) {
        Config reference = colony.withFallback(ConfigFactory.load());
        ClusterTls tls = ClusterTls.of(reference.getConfig("colony"), reference);
        Config artery = ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.canonical { hostname = 127.0.0.1, port = %d }
                akka.cluster.jmx.multi-mbeans-in-same-jvm = on
                akka.loglevel = WARNING
                """.formatted(port));
        Config config = (tls.enabled() ? tls.artery().withFallback(artery) : artery).withFallback(ConfigFactory.load());
        return ActorSystem.create(Behaviors.empty(), "colony", config);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldLetInOnlyMembersWithTheClustersCertificate() throws Exception {
        int pa = freePort();
        int pb = freePort();
        int pr = freePort();
        int pp = freePort();
        ActorSystem<Void> a = member(colony("ours", "a", pa), pa);
        ActorSystem<Void> b = member(colony("ours", "b", pb), pb);
        ActorSystem<Void> rogue = member(colony("rogue", "r", pr), pr);
        ActorSystem<Void> plain = member(ConfigFactory.empty(), pp);
        try {
            Cluster.get(a).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
            Cluster.get(b).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
            Cluster.get(rogue).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
            Cluster.get(plain).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
            TestProbe<Object> probe = TestProbe.create(a);
            probe.awaitAssert(Duration.ofSeconds(30), () -> {
                assertEquals(2, Cluster.get(a).state().members().size(), Cluster.get(a).state().members().toString());
                assertEquals(MemberStatus.up(), Cluster.get(b).selfMember().status());
                return null;
            });
            // The rogue and the plain member keep knocking (a join round a second): no member event for 5 s.
            TestProbe<ClusterEvent.MemberEvent> events = TestProbe.create(a);
            Cluster.get(a).subscriptions().tell(Subscribe.create(events.ref(), ClusterEvent.MemberEvent.class));
            events.receiveSeveralMessages(2); // the current state: a and b up
            events.expectNoMessage(Duration.ofSeconds(5));
            assertEquals(2, Cluster.get(a).state().members().size(), Cluster.get(a).state().members().toString());
            assertFalse(Cluster.get(rogue).selfMember().status() == MemberStatus.up());
            assertFalse(Cluster.get(plain).selfMember().status() == MemberStatus.up());
        } finally {
            for (ActorSystem<Void> s : List.of(rogue, plain, b, a)) {
                s.terminate();
            }
        }
    }

    @Test
    void shouldMakeOwnerOnlyCertificatesAndReadTheirSettings() throws Exception {
        Path ours = dir.resolve("ours");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours)));
        for (String f : List.of("ca.p12", "trust.p12", "a.p12", "b.p12", "password")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours.resolve(f))), f);
        }
        Config reference = colony("ours", "a", 0).withFallback(ConfigFactory.load());
        ClusterTls tls = ClusterTls.of(reference.getConfig("colony"), reference);
        assertTrue(tls.enabled());
        assertFalse(tls.toString().contains(Files.readString(ours.resolve("password")).strip()));
        assertEquals("tls-tcp", tls.artery().getString("akka.remote.artery.transport"));
        var again = assertThrows(IllegalArgumentException.class, () -> ClusterCertificates.init(ours, List.of("c"), 2));
        assertTrue(again.getMessage().contains("already holds a CA"), again.getMessage());
    }

    @Test
    void shouldRefuseAClusterAddressOthersCanReachWithoutTls() {
        var e = assertThrows(IllegalArgumentException.class, () -> ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.hostname = 0.0.0.0")));
        assertTrue(e.getMessage().contains("colony.hostname = 0.0.0.0 is reachable from other machines: set "
                + "colony.tls.keystore"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> ColonySettings.fromConfig(
                ConfigFactory.parseString("colony.tls { keystore = /no/such.p12, truststore = /no/trust.p12 }")));
        assertTrue(missing.getMessage().contains("colony.tls.keystore = /no/such.p12 cannot be read"), missing.getMessage());
    }
}
