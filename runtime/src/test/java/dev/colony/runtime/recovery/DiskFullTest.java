package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.JournalUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A data directory on a disk that fills up, or that cannot be written: clear errors, and the node lives on. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DiskFullTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static ColonySettings settings(Path data, String extra) {
        return ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s", start-attempts = 1 }
                colony.node { cpus = 2, memory = 2GiB }
                %s
                """.formatted(data.toString().replace('\\', '/'), extra)));
    }

    /** 8 MiB tensor outputs on a 64 MiB disk that keeps 16 MiB free: the fifth or so fails "disk full", the rest runs. */
    @Test
    void shouldFailOnlyTheTaskWhoseOutputFindsTheDiskFull() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 64, false);
             Colony colony = Colony.start(settings(disk.dir().resolve("data"),
                     "colony.persistence.outputs { quota = 100%, disk-reserve = 16MiB }\n"
                             + "colony.health.journal-reserve = 4MiB"))) {
            JobResult full = null;
            for (int i = 0; i < 12 && full == null; i++) {
                JobResult r = colony.submit(JobSpec.of("m" + i, List.of(TaskSpec.of("m", "matrix",
                        Map.of("rows", 1024, "cols", 2048)).withMaxAttempts(1)))).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                if (r.outcome() != JobResult.Outcome.SUCCEEDED) {
                    full = r;
                }
            }
            assertTrue(full != null, "the disk never filled");
            assertEquals(JobResult.Outcome.FAILED, full.outcome());
            assertTrue(full.reason().contains("disk full on node 'node-1' (need 8MiB, free "), full.reason());
            assertTrue(full.reason().contains("colony.persistence.outputs.disk-reserve"), full.reason());
            // The journal kept its room: small jobs still run and are journalled.
            JobResult small = colony.submit(JobSpec.of("after", List.of(TaskSpec.of("t", "noop", Map.of()))))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(JobResult.Outcome.SUCCEEDED, small.outcome(), small.toString());
        }
    }

    /**
     * A disk filled by someone else under the H2 journal, past the journal's reserve: the node stops taking jobs (503 naming the
     * journal, /nodes says why, Colony.accept refuses) instead of answering what it cannot make
     * durable, and takes them again once space is freed.
     */
    @Test
    void shouldTakeNoJobsWhileTheJournalDiskIsFullAndRecoverAfter() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 32, false);
             Colony colony = Colony.start(settings(disk.dir().resolve("data"), """
                     colony.health { check-every = 200ms, journal-reserve = 4MiB }
                     colony.http { enabled = on, port = 0 }
                     """))) {
            assertEquals(202, post(colony, "before").statusCode());
            // Someone else fills the disk to 2 MiB short of full: less than the journal's reserve, so the node
            // stops before H2 meets a full disk (a write that fails there closes H2's database until a restart).
            Path filler = disk.dir().resolve("filler");
            try (var out = Files.newOutputStream(filler)) {
                byte[] kib = new byte[64 << 10];
                while (Files.getFileStore(disk.dir()).getUsableSpace() > (2 << 20)) {
                    out.write(kib);
                }
            }
            var probe = TestProbe.create(colony.system());
            probe.awaitAssert(Duration.ofSeconds(20), () -> {
                HttpResponse<String> refused = post(colony, "during");
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("cannot write its journal") && refused.body().contains("free, less "
                        + "than colony.health.journal-reserve"), refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                return null;
            });
            assertTrue(colony.journalProblem().isPresent());
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> colony.accept(JobSpec.of("x",
                    List.of(TaskSpec.of("t", "noop", Map.of())))).toCompletableFuture().get());
            assertTrue(e.getCause() instanceof JournalUnavailableException, e.toString());
            String nodes = get(colony, "/nodes").body();
            assertTrue(nodes.contains("\"journal\":\"the disk of "), nodes);
            Files.delete(filler);
            probe.awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals(202, post(colony, "after").statusCode());
                return null;
            });
            assertEquals(JobResult.Outcome.SUCCEEDED, colony.result("after").toCompletableFuture().get(60,
                    TimeUnit.SECONDS).outcome());
            assertTrue(get(colony, "/nodes").body().contains("\"journal\":null"));
        }
    }

    private static HttpResponse<String> post(Colony colony, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(colony, "/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"" + id + "\", \"tasks\": [{\"id\": \"t\", "
                        + "\"kernel\": \"noop\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Colony colony, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(colony, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(Colony colony, String path) {
        return URI.create("http://127.0.0.1:" + colony.httpAddress().orElseThrow().getPort() + path);
    }

    /**
     * A read-only data directory fails the start at once (before the actor system, the journal or
     * the output store), naming the path, instead of starting and failing every job.
     */
    @Test
    void shouldRefuseToStartOnAReadOnlyDataDirectory() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("ro"), 8, true)) {
            var e = assertThrows(IllegalStateException.class, () -> Colony.start(settings(disk.dir(), "")).close());
            assertTrue(e.getMessage().contains("colony.persistence.data-dir = " + disk.dir()), e.getMessage());
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            try (var left = Files.list(disk.dir())) {
                assertEquals(0, left.count(), "refused before the journal or anything else was opened");
            }
        }
    }
}
