package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.runtime.Colony;
import dev.colony.runtime.cli.ColonyCliTest;
import dev.colony.runtime.internal.ClusterCertificates;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runtimes forming one cluster over Artery on 127.0.0.1, sharing a PostgreSQL journal. */
@Tag("postgres")
class ClusterTest {

    @TempDir
    Path dir;

    private Colony node(String name, String journal, int port, List<String> seeds) {
        return Members.start(dir, name, 1, port, seeds, journal + """

                colony.placement.policy = round-robin
                colony.learner.enabled = off
                """);
    }

    /** {@code n} independent spin tasks t0, t1, ... of {@code work}. */
    private static List<TaskSpec> spins(int n, int work) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", work)));
        }
        return tasks;
    }

    /** Waits until each of {@code members} knows exactly the nodes {@code expected} (a job's tasks may run on any). */
    private static void awaitNodes(Duration max, Set<String> expected, Colony... members) {
        TestProbe.create(members[0].system()).awaitAssert(max, () -> {
            for (Colony m : members) {
                assertEquals(expected, names(m.nodes()));
            }
            return null;
        });
    }

    private static Set<String> names(List<NodeDescriptor> nodes) {
        return nodes.stream().map(NodeDescriptor::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void shouldFormAClusterWhoseNodesShareTheWork() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("c1", postgres, port, List.of());
             Colony second = node("c2", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
            awaitNodes(Duration.ofSeconds(20), Set.of("c1", "c2"), first, second);
            JobResult r = second.submit(JobSpec.of("spread-" + UUID.randomUUID(), spins(6, 20))).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.reason());
            Set<String> used = r.tasks().values().stream().map(t -> t.node()).collect(Collectors.toSet());
            assertEquals(Set.of("c1", "c2"), used, "round-robin over both members' nodes");
            TestProbe.create(second.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                var listed = second.jobs(JobStatus.Phase.SUCCEEDED, 1000).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertTrue(listed.jobs().stream().anyMatch(j -> j.id().equals(r.jobId()) && j.tasks() == 6),
                        "the job list (a singleton on the oldest member) has the job: " + listed);
                return null;
            });
            var status = ColonyCliTest.cli("status", "--seed", "127.0.0.1:" + port);
            assertEquals(0, status.code(), status.out() + status.err());
            assertTrue(status.out().contains("3 member(s), this client included") && status.out().contains("colony-client")
                    && status.out().contains("2 node(s):"), status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith("c1 ") && l.contains("load")), status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith("c2 ") && l.contains("load")), status.out());
        }
    }

    /**
     * A process that would start a second cluster on the same PostgreSQL journal (no seeds, as the
     * first node starts) refuses to, naming a member to join; joining that member works.
     */
    @Test
    void shouldRefuseASecondClusterOnTheJournalAndNameAMemberToJoin() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("l1", postgres, port, List.of())) {
            TestProbe.create(first.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                try (var c = PostgresServer.connect(PostgresServer.url());
                     var r = c.createStatement().executeQuery("SELECT holder FROM colony_cluster_lease")) {
                    assertTrue(r.next() && r.getString(1).contains("@127.0.0.1:" + port + "#"), "l1 holds the lease");
                }
                return null;
            });
            var e = assertThrows(IllegalStateException.class, () -> node("l2", postgres, NodeProcess.freePort(),
                    List.of()).close());
            assertTrue(e.getMessage().contains("another cluster uses this journal: its member akka://"), e.getMessage());
            assertTrue(e.getMessage().contains("--seed 127.0.0.1:" + port), e.getMessage());
            try (Colony joined = node("l3", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
                TestProbe.create(joined.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                    assertEquals(Set.of("l1", "l3"), names(joined.nodes()));
                    return null;
                });
                assertTrue(joined.journalProblem().isEmpty() && first.journalProblem().isEmpty());
            }
        }
        try (var c = PostgresServer.connect(PostgresServer.url());
             var r = c.createStatement().executeQuery("SELECT count(*) FROM colony_cluster_lease")) {
            assertTrue(r.next() && r.getInt(1) == 0, "a cluster that stops in order gives the lease up");
        }
    }

    @Test
    void shouldFormAClusterOverArteryAeronUdp() throws Exception {
        String config = PostgresServer.journalConfig() + "\nakka.remote.artery.transport = aeron-udp";
        int port = NodeProcess.freePort();
        try (Colony first = node("u1", config, port, List.of());
             Colony second = node("u2", config, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
            assertEquals("aeron-udp", first.system().settings().config().getString("akka.remote.artery.transport"));
            awaitNodes(Duration.ofSeconds(30), Set.of("u1", "u2"), first, second);
            JobResult r = second.submit(JobSpec.of("udp-" + UUID.randomUUID(), spins(4, 10))).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.reason());
            assertEquals(Set.of("u1", "u2"), r.tasks().values().stream().map(t -> t.node()).collect(Collectors.toSet()),
                    "both members ran tasks: the cluster's messages crossed over Aeron UDP");
        }
    }

    /**
     * Jobs too large for one message between members (Artery's frame): their Starts travel in parts,
     * their results come back in parts, and their status is read in pages. One is submitted through
     * each member, so at least one of them crosses unless both entities landed where they were sent.
     */
    @Test
    void shouldRunJobsTooLargeForOneMessageBetweenMembers() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("p1", postgres, port, List.of());
             Colony second = node("p2", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
            awaitNodes(Duration.ofSeconds(30), Set.of("p1", "p2"), first, second);
            int n = 12_000; // the Start of 10,000 tasks took more than the quarter frame Colony allowed
            List<TaskSpec> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(TaskSpec.of("task-" + UUID.randomUUID(), "noop", Map.of()));
            }
            String a = "large-a-" + UUID.randomUUID();
            String b = "large-b-" + UUID.randomUUID();
            var ra = first.submit(JobSpec.of(a, tasks)).toCompletableFuture();
            var rb = second.submit(JobSpec.of(b, tasks)).toCompletableFuture();
            for (JobResult r : List.of(ra.get(120, TimeUnit.SECONDS), rb.get(120, TimeUnit.SECONDS))) {
                assertTrue(r.succeeded(), r.reason());
                assertEquals(n, r.tasks().size());
                assertEquals(n, r.outputs().size());
            }
            JobStatus page = second.tasks(a, TaskSummary.TaskState.SUCCEEDED, 3, 1_000).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(tasks.subList(3_000, 4_000).stream().map(TaskSpec::id).toList(), List.copyOf(page.tasks()
                    .keySet()), "page 3 in spec order");
            assertEquals(new JobStatus.Page(TaskSummary.TaskState.SUCCEEDED, 3, 1_000, n), page.page());
            JobStatus whole = first.status(b).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(n, whole.tasks().size());
            assertEquals(n, whole.count(TaskSummary.TaskState.SUCCEEDED));
        }
    }

    /** Two members over mutual TLS share the work; a third with another CA's certificate cannot start. */
    @Test
    void shouldFormAClusterOverMutualTlsAndKeepOutAMemberWithoutItsCertificate() throws Exception {
        ClusterCertificates.init(dir.resolve("certs"), List.of("t1", "t2"), 2);
        ClusterCertificates.init(dir.resolve("rogue"), List.of("t3"), 2);
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        Colony first = node("t1", postgres + tls("certs", "t1"), port, List.of());
        try {
            Colony second = node("t2", postgres + tls("certs", "t2"), NodeProcess.freePort(),
                    List.of("127.0.0.1:" + port));
            try {
                assertEquals("tls-tcp", first.system().settings().config().getString("akka.remote.artery.transport"));
                awaitNodes(Duration.ofSeconds(30), Set.of("t1", "t2"), first, second);
                JobResult r = second.submit(JobSpec.of("tls-" + UUID.randomUUID(), spins(4, 10))).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals(Set.of("t1", "t2"), r.tasks().values().stream().map(t -> t.node())
                        .collect(Collectors.toSet()), r.tasks().toString());
                var e = assertThrows(IllegalStateException.class, () -> node("t3", postgres + tls("rogue", "t3")
                        + "\ncolony.start-timeout = 10s", NodeProcess.freePort(), List.of("127.0.0.1:" + port)));
                assertTrue(e.getMessage().contains("let this process join"), e.getMessage());
                assertEquals(Set.of("t1", "t2"), names(first.nodes()));
                assertEquals(2, akka.cluster.typed.Cluster.get(first.system()).state().members().size());
            } finally {
                closeAfterTlsFailure(second);
            }
        } finally {
            closeAfterTlsFailure(first);
        }
    }

    /**
     * Closes a member of a cluster a rogue member tried to join. After a failed TLS handshake,
     * Akka's termination can wait on the failed TLS actor (akka/akka-core#29162, open): a close
     * then took 2.5 to 4.5 minutes, in CI about one run in five and here 2 of 19. {@link Colony#close}
     * gives up after its limit and says so; this test is about membership, so the member is left
     * to end in the background (its ports are its own; it has left the cluster and stopped its
     * entities by then).
     */
    private static void closeAfterTlsFailure(Colony member) {
        try {
            member.close();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("did not stop"), e.getMessage());
            System.err.println("ClusterTest: " + member.system().address() + " still terminating (akka/akka-core#29162)");
        }
    }

    private String tls(String certs, String member) {
        Path d = dir.resolve(certs);
        return "\ncolony.tls { keystore = \"%s\", truststore = \"%s\", password-file = \"%s\" }\n".formatted(
                d.resolve(member + ".p12"), d.resolve("trust.p12"), d.resolve("password"));
    }

    @Test
    void shouldMoveTensorOutputsBetweenProcessesOverTheDataPlane() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("d1", postgres, port, List.of());
             Colony second = node("d2", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
            awaitNodes(Duration.ofSeconds(20), Set.of("d1", "d2"), first, second);
            // two 384x384 f64 products (1.1 MiB each) stored as tensors, multiplied by four consumers
            List<TaskSpec> tasks = new ArrayList<>(List.of(
                    TaskSpec.of("p0", "gemm", Map.of("n", 384, "dtype", "f64", "seed", 1, "output", "matrix")),
                    TaskSpec.of("p1", "gemm", Map.of("n", 384, "dtype", "f64", "seed", 2, "output", "matrix"))));
            for (int i = 0; i < 4; i++) {
                tasks.add(TaskSpec.of("c" + i, "gemm", Map.of("dtype", "f64")).withInputs(Map.of("a", "p0", "b", "p1")));
            }
            JobResult r = second.submit(JobSpec.of("tensors-" + UUID.randomUUID(), tasks)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.reason());
            assertEquals(384 * 384 * 8, r.outputs().get("p0").path("bytes").asLong(), r.outputs().toString());
            assertEquals(384, r.outputs().get("p0").path("tensor").path("rows").asInt());
            Set<String> crossing = new TreeSet<>();
            for (int i = 0; i < 4; i++) {
                String c = "c" + i;
                assertEquals(r.outputs().get("c0").path("sum").asDouble(), r.outputs().get(c).path("sum").asDouble(),
                        "every consumer multiplied the same bytes: " + r.outputs());
                assertEquals(384, r.outputs().get(c).path("k").asInt());
                for (String p : List.of("p0", "p1")) {
                    if (!r.tasks().get(c).node().equals(r.tasks().get(p).node())) {
                        crossing.add(p + "->" + c);
                    }
                }
            }
            assertTrue(crossing.size() >= 2, "round-robin makes consumers read from the other process: " + r.tasks());
        }
    }

    @Test
    void shouldGiveWorkToANodeThatJoinsMidJob() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("early", postgres, port, List.of())) {
            // two tasks of 3 s on the one node there is, then six that become ready after them
            List<TaskSpec> tasks = new ArrayList<>();
            tasks.add(TaskSpec.of("a", "spin", Map.of("work", 3000)));
            tasks.add(TaskSpec.of("b", "spin", Map.of("work", 3000)));
            for (int i = 0; i < 6; i++) {
                tasks.add(TaskSpec.of("c" + i, "spin", Map.of("work", 100)).withDependsOn(List.of("a", "b")));
            }
            String id = "joining-" + UUID.randomUUID();
            var pending = first.submit(JobSpec.of(id, tasks));
            // a holds the one node before the other joins (else round-robin may send it there)
            TestProbe.create(first.system()).awaitAssert(Duration.ofSeconds(30), () -> {
                JobStatus s = first.status(id).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals("early", s.tasks().get("a").node(), s.tasks().toString());
                return null;
            });
            try (Colony late = node("late", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
                JobResult r = pending.toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals("early", r.tasks().get("a").node());
                assertTrue(r.tasks().values().stream().anyMatch(t -> "late".equals(t.node())),
                        "the node that joined mid-job got work: " + r.tasks());
            }
        }
    }

    @Test
    void shouldRefuseToJoinAMemberWithAnotherJournal() throws Exception {
        String postgres = PostgresServer.journalConfig();
        int port = NodeProcess.freePort();
        try (Colony first = node("h1", "colony.persistence.journal = h2", port, List.of())) {
            var e = assertThrows(IllegalStateException.class,
                    () -> node("p2", postgres, NodeProcess.freePort(), List.of("127.0.0.1:" + port)));
            assertTrue(e.getMessage().contains("uses another journal than this process"), e.getMessage());
            assertEquals(Set.of("h1"), names(first.nodes()));
        }
    }
}
