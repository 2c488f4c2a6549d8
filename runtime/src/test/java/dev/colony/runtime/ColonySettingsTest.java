package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.persistence.H2Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColonySettingsTest {

    @Test
    void shouldReadDefaultsWithMachineCapacity() {
        ColonySettings s = ColonySettings.load();
        assertEquals(1, s.nodes().size());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.nodes().getFirst().capacity().cpus());
        assertTrue(s.nodes().getFirst().capacity().memoryBytes() > 0);
        assertEquals("least-loaded", s.policy());
        assertEquals(3, s.jobs().defaultMaxAttempts());
        assertEquals(600_000, s.jobs().defaultTimeoutMs());
        assertEquals("127.0.0.1", s.config().getString("akka.remote.artery.canonical.hostname"));
        assertEquals(20_000, s.learner().maxReplayTasks());
        assertEquals(2_000, s.task().checkEveryMs());
        assertEquals(60_000, s.nodes().getFirst().keepReportsMs());
        assertEquals(65_536, s.config().getInt("akka.remote.artery.advanced.outbound-message-queue-size"),
                "bursts of task messages overflowed Artery's 3,072 and were dropped");
        ColonySettings h2 = ColonySettings.fromConfig(ConfigFactory.parseString("colony.persistence.journal = h2"));
        assertEquals(java.time.Duration.ofSeconds(30), h2.config().getDuration("jdbc-journal.circuit-breaker.call-timeout"),
                "a journal slowed by load is waited for, not failed after Akka's 10 s");
    }

    @Test
    void shouldReadExtraNodesInheritingFromTheFirst() {
        ColonySettings s = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { cpus = 3, memory = 2GiB }
                colony.nodes = [{ name = "fast", speed-factor = 2.5 }]
                """));
        assertEquals(2, s.nodes().size());
        assertEquals("fast", s.nodes().get(1).name());
        assertEquals(3, s.nodes().get(1).capacity().cpus());
        assertEquals(2L << 30, s.nodes().get(1).capacity().memoryBytes());
        assertEquals(2.5, s.nodes().get(1).speedFactor());
    }

    @Test
    void shouldNameBadSettings() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.placement.policy = best")));
        assertTrue(e.getMessage().contains("'best' is not a known policy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.node.speed-factor = -1")));
        assertTrue(e.getMessage().contains("speed-factor = -1.0 must lie in (0, 1000]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.node.cpus = lots")));
        assertTrue(e.getMessage().contains("cpus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.nodes = [{ name = node-1 }]")));
        assertTrue(e.getMessage().contains("must all differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.task.check-every = 0s")));
        assertTrue(e.getMessage().contains("colony.task.check-every = 0 ms must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ColonySettings.fromConfig(ConfigFactory.parseString("colony.node.keep-reports = 0s")));
        assertTrue(e.getMessage().contains("keep-reports must be positive"), e.getMessage());
    }

    @Test
    void shouldRejectLearnerSettingsOutOfRangeNamingTheKey() {
        for (String[] bad : new String[][] {
                {"colony.learner.population = 1", "colony.learner.population = 1 must be at least 2"},
                {"colony.learner.canary.slice = 0", "colony.learner.canary.slice = 0.0 must lie in (0, 1]"},
                {"colony.learner.canary.slice = 1.5", "colony.learner.canary.slice = 1.5 must lie in (0, 1]"},
                {"colony.learner.canary.min-jobs = 1", "colony.learner.canary.min-jobs = 1 must be at least 2"},
                {"colony.learner.canary.confidence = 1", "colony.learner.canary.confidence = 1.0 must lie in [0.5, 1)"},
                {"colony.learner.objective.mean-jct = 0", "colony.learner.objective: weights mean-jct = 0.0"},
                {"colony.learner.max-replay-tasks = 0", "colony.learner.max-replay-tasks = 0 must be at least 1"},
                {"colony.monitor.max-batch = 0", "colony.monitor: sample-every = PT5S must be positive and max-batch = 0"},
                {"colony.monitor.max-records = 0", "max-samples = 1000, max-records = 0 at least 1"}}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ColonySettings.fromConfig(ConfigFactory.parseString(bad[0])), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        ColonySettings s = ColonySettings.fromConfig(ConfigFactory.parseString("colony.learner.canary.slice = 1"));
        assertEquals(1.0, s.learner().canarySlice());
        assertEquals(40, s.learner().population());
    }

    @Test
    void shouldLetAClusterOnOneHostShareTheH2JournalOneMemberServes(@TempDir Path dir) throws Exception {
        Path served = dir.resolve("b1");
        Files.createDirectories(served);
        Files.writeString(served.resolve(H2Server.KEY_FILE), "40001 " + "ab".repeat(32) + "\n");
        String role = "colony.persistence.journal = h2\ncolony.persistence.data-dir = \"" + served + "\"\n";
        ColonySettings server = ColonySettings.fromConfig(ConfigFactory.parseString(role
                + "colony.persistence.h2.serve-port = 0"));
        ColonySettings client = ColonySettings.fromConfig(ConfigFactory.parseString("colony.persistence.journal = h2\n"
                + "colony.persistence.data-dir = \""
                + dir.resolve("b2") + "\"\ncolony.persistence.h2.served-by = \"" + served + "\"\n"
                + "colony.seed-nodes = [\"127.0.0.1:2551\"]"));
        assertTrue(client.persistence().journal().served(), client.persistence().journal().describe());
        assertEquals(0, server.persistence().h2ServePort());
        assertEquals(journalRole(server), journalRole(client), "one journal, one role");
        ColonySettings alone = ColonySettings.fromConfig(ConfigFactory.parseString(role));
        assertTrue(!journalRole(alone).equals(journalRole(server)), "an H2 journal not served is one process's");
        for (String[] bad : new String[][] {
                {"colony.persistence.h2.serve-port = -2", "colony.persistence.h2.serve-port = -2 must be -1"},
                {"colony.persistence.h2.serve-port = 0\ncolony.persistence.h2.served-by = \"" + served + "\"",
                        "and -1 when colony.persistence.h2.served-by is set"},
                {"colony.persistence.h2.served-by = \"" + dir.resolve("none") + "\"", "cannot read"},
                {"colony.jobs.placement = nearest", "colony.jobs.placement = 'nearest': must be spread or submitter"}}) {
            Exception e = assertThrows(RuntimeException.class, () -> ColonySettings.fromConfig(ConfigFactory.parseString(
                    "colony.persistence.journal = h2\n" + bad[0])), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    private static String journalRole(ColonySettings s) {
        return s.config().getStringList("akka.cluster.roles").stream().filter(r -> r.startsWith("colony-journal-"))
                .findFirst().orElseThrow();
    }

    @Test
    void shouldRefuseToJoinAClusterWithAJournalOfItsOwn() {
        var e = assertThrows(IllegalArgumentException.class, () -> ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.persistence.journal = h2\ncolony.seed-nodes = [\"127.0.0.1:2551\"]")));
        assertTrue(e.getMessage().contains("colony.persistence.journal = h2 is the journal of one process: every node "
                + "of a cluster must share one PostgreSQL journal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.persistence.journal = postgres\ncolony.seed-nodes = [\"127.0.0.1\"]")));
        assertTrue(e.getMessage().contains("'127.0.0.1' must be HOST:PORT"), e.getMessage());
        ColonySettings s = ColonySettings.fromConfig(ConfigFactory.parseString(
                "colony.persistence.journal = postgres\ncolony.seed-nodes = [\"10.0.0.5:2551\"]\ncolony.roles = [gpu]"));
        assertEquals(List.of("akka://colony@10.0.0.5:2551"), s.config().getStringList("akka.cluster.seed-nodes"));
        List<String> roles = s.config().getStringList("akka.cluster.roles");
        assertTrue(roles.contains("gpu") && roles.stream().anyMatch(r -> r.startsWith("colony-journal-postgres-")),
                roles.toString());
    }
}
