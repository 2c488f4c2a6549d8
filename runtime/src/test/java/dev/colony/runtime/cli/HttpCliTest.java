package dev.colony.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code colony submit --url --follow} and {@code colony cancel} against a runtime's HTTP API. */
class HttpCliTest {

    @TempDir
    Path dir;

    @Test
    void shouldSubmitFollowAndCancelThroughTheHttpApi() throws Exception {
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = web, cpus = 2, memory = 1GiB }
                colony.learner.enabled = off
                colony.http { enabled = on, port = 0 }
                """)))) {
            String url = "http://127.0.0.1:" + colony.httpAddress().orElseThrow().getPort();
            String id = "cli-" + UUID.randomUUID();
            Path job = Files.writeString(dir.resolve("job.json"), """
                    {"id": "%s", "tasks": [
                      {"id": "a", "kernel": "sum", "params": {"values": [1, 2]}},
                      {"id": "b", "kernel": "sum", "inputs": {"x": "a"}}]}""".formatted(id));
            var run = ColonyCliTest.cli("submit", job.toString(), "--url", url, "--follow");
            assertEquals(0, run.code(), run.out() + run.err());
            assertTrue(run.out().contains("submitted job '" + id + "' (/jobs/" + id + ")"), run.out());
            assertTrue(run.out().contains("[" + "#".repeat(30) + "] 2/2 tasks (running 0) succeeded"), run.out());
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("b ") && l.contains("SUCCEEDED") && l.contains("web")),
                    run.out());
            assertTrue(run.out().contains("job '" + id + "' SUCCEEDED"), run.out());

            var again = ColonyCliTest.cli("submit", job.toString(), "--url", url);
            assertEquals(2, again.code());
            assertTrue(again.err().contains("job id '" + id + "' is already in use"), again.err());
            var ended = ColonyCliTest.cli("cancel", id, "--url", url);
            assertEquals(0, ended.code(), ended.err());
            assertTrue(ended.out().contains("job '" + id + "' had already ended"), ended.out());
            var unknown = ColonyCliTest.cli("cancel", "nobody", "--url", url);
            assertEquals(2, unknown.code());
            assertTrue(unknown.err().contains("no job with id 'nobody'"), unknown.err());
            var noUrl = ColonyCliTest.cli("submit", job.toString(), "--follow");
            assertEquals(2, noUrl.code());
            assertTrue(noUrl.err().contains("--follow needs --url"), noUrl.err());
        }
        var down = ColonyCliTest.cli("cancel", "x", "--url", "http://127.0.0.1:1");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach http://127.0.0.1:1"), down.err());
    }
}
