package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Colony does when its journal cannot be opened or read, and when its output store is full. */
class JournalFailureTest {

    @TempDir
    Path dir;

    ColonySettings settings(String extra) {
        return ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s", start-attempts = 2, start-backoff = 50ms,
                  connect-timeout = 1s }
                colony.node { cpus = 2, memory = 2GiB }
                colony.kernels.classes = ["dev.colony.runtime.recovery.RecordingKernel"]
                %s
                """.formatted(dir.toString().replace('\\', '/'), extra)));
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JobSpec job(String id, int ms) {
        return JobSpec.of(id, List.of(TaskSpec.of("a", "record", Map.of("ms", ms, "value", 1)),
                TaskSpec.of("b", "record", Map.of("ms", 10, "value", 2)).withInputs(Map.of("a", "a"))));
    }

    @Test
    void shouldFailOnlyTheJobWhoseJournalIsUnreadableAndRecoverTheOthers() throws Exception {
        String url = JournalSettings.h2(dir).jdbcUrl();
        new Unreadable(dir, "colony.persistence.journal = h2", () -> DriverManager.getConnection(url, "sa", "")).run();
    }

    /**
     * Three jobs running when their node stops; then one job's first event gets an unknown type and
     * another's a corrupt payload. At the next start those two fail naming their persistence ids,
     * the third finishes, and new jobs run.
     */
    record Unreadable(Path dir, String journalConfig, SqlConnection journal) {

        void run() throws Exception {
            String suffix = "-" + System.nanoTime(); // a shared PostgreSQL keeps earlier runs' jobs
            String unknown = "unknown-type" + suffix;
            String corrupt = "corrupt-row" + suffix;
            String good = "good" + suffix;
            try (Colony colony = Colony.start(settings())) {
                for (String id : List.of(unknown, corrupt, good)) {
                    colony.submit(job(id, 1_500));
                }
                TestProbe<Object> probe = TestProbe.create(colony.system());
                for (String id : List.of(unknown, corrupt, good)) {
                    probe.awaitAssert(Duration.ofSeconds(10), () -> {
                        assertEquals(JobStatus.Phase.RUNNING, await(colony.status(id)).phase());
                        return null;
                    });
                }
            } // stopped while every job runs: they are remembered and resume at the next start
            try (var c = journal.open()) {
                assertEquals(1, c.createStatement().executeUpdate("UPDATE \"event_journal\" SET \"event_ser_manifest\" ="
                        + " 'dev.colony.actors.job.JobEvent$Renamed' WHERE \"persistence_id\" = 'ColonyJob|" + unknown
                        + "' AND \"sequence_number\" = 1"));
                var ps = c.prepareStatement("UPDATE \"event_journal\" SET \"event_payload\" = ? WHERE"
                        + " \"persistence_id\" = ? AND \"sequence_number\" = 1");
                ps.setBytes(1, new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF});
                ps.setString(2, "ColonyJob|" + corrupt);
                assertEquals(1, ps.executeUpdate());
            }
            try (Colony colony = Colony.start(settings())) {
                for (String id : List.of(unknown, corrupt)) {
                    JobResult r = await(colony.result(id));
                    assertEquals(JobResult.Outcome.FAILED, r.outcome(), r.toString());
                    assertTrue(r.reason().contains("persistence id ColonyJob|" + id), r.reason());
                    assertEquals(JobStatus.Phase.FAILED, await(colony.status(id)).phase());
                }
                JobResult r = await(colony.result(good));
                assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.toString());
                assertEquals(3, r.outputs().get("b").get("value").asLong());
                assertEquals(JobResult.Outcome.SUCCEEDED, await(colony.submit(job("after" + suffix, 10))).outcome());
            }
        }

        private ColonySettings settings() {
            return ColonySettings.fromConfig(ConfigFactory.parseString(journalConfig + """

                    colony.persistence.data-dir = "%s"
                    colony.node { cpus = 2, memory = 2GiB }
                    colony.kernels.classes = ["dev.colony.runtime.recovery.RecordingKernel"]
                    """.formatted(dir.toString().replace('\\', '/'))));
        }
    }

    /** Opens a connection to the journal's database. */
    interface SqlConnection {
        java.sql.Connection open() throws java.sql.SQLException;
    }

    @Test
    void shouldRetryThenNameTheLockedH2JournalAndLeaveNothingBehind() throws Exception {
        Files.createDirectories(dir);
        String url = JournalSettings.h2(dir).jdbcUrl();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldJournal.class.getName(), url).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertEquals("HOLDING", out.readLine());
            var e = assertThrows(IllegalStateException.class, () -> Colony.start(settings("")));
            String msg = e.getMessage();
            assertTrue(msg.contains("H2 journal at " + dir.toAbsolutePath().resolve("journal.mv.db")), msg);
            assertTrue(msg.toLowerCase().contains("locked") || msg.contains("already in use"), msg);
            assertTrue(msg.contains("gave up after 2 attempts"), msg);
            assertFalse(Files.exists(dir.resolve("outputs")), "a failed start must not create the output store");
            var inspect = dev.colony.runtime.cli.ColonyCliTest.cli("journal", "inspect", "--journal", "h2", "--data-dir",
                    dir.toString());
            assertEquals(3, inspect.code(), inspect.out() + inspect.err());
            assertTrue(inspect.err().contains("is held by a running node (H2 lets one process open it)"), inspect.err());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(30, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
        // Once the other process let go, the same directory works.
        try (Colony colony = Colony.start(settings(""))) {
            assertEquals(JobResult.Outcome.SUCCEEDED, await(colony.submit(job("after-lock", 10))).outcome());
        }
    }

    @Test
    void shouldNameTheUnreachablePostgresJournal() {
        var s = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = postgres, postgres.url = "jdbc:postgresql://127.0.0.1:1/colony",
                  start-attempts = 2, start-backoff = 50ms, connect-timeout = 1s }
                """));
        var e = assertThrows(IllegalStateException.class, () -> Colony.start(s));
        assertTrue(e.getMessage().contains("PostgreSQL journal at jdbc:postgresql://127.0.0.1:1/colony"), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 2 attempts"), e.getMessage());
    }

    @Test
    void shouldFailTheTaskClearlyWhenTheOutputStoreIsFull() throws Exception {
        try (Colony colony = Colony.start(settings("colony.persistence.outputs { inline-limit = 16, quota = 100 }"))) {
            JobSpec spec = JobSpec.of("full", List.of(TaskSpec.of("big", "record", Map.of("ms", 1, "value", 1000000))
                    .withMaxAttempts(1)));
            JobResult r = await(colony.submit(spec));
            assertEquals(JobResult.Outcome.FAILED, r.outcome());
            assertTrue(r.reason().contains("more than node 'node-1' has left in its output store")
                    && r.reason().contains("colony.persistence.outputs.quota"), r.reason());
        }
        try (var files = Files.walk(dir.resolve("outputs"))) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing half-written is left");
        }
    }

}
