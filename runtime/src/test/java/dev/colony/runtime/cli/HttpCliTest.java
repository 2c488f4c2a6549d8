package dev.colony.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.JobSpecReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI over a runtime's HTTP API: submit --follow, jobs, status, cancel and learner history. */
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

            var jobs = ColonyCliTest.cli("jobs", "--url", url);
            assertEquals(0, jobs.code(), jobs.err());
            assertTrue(jobs.out().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("SUCCEEDED")
                    && l.contains("2/2")), jobs.out());
            assertTrue(jobs.out().contains("0 running, 1 succeeded, 0 failed"), jobs.out());
            var badPhase = ColonyCliTest.cli("jobs", "--url", url, "--phase", "asleep");
            assertEquals(2, badPhase.code());
            assertTrue(badPhase.err().contains("phase 'asleep' is not one of running, succeeded, failed"), badPhase.err());
            var status = ColonyCliTest.cli("status", "--url", url);
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("1 node(s):") && status.out().lines().anyMatch(l -> l.startsWith("  web ")
                    && l.contains("2.0 cpus") && l.contains("0 queued")), status.out());
            var both = ColonyCliTest.cli("status", "--url", url, "--seed", "127.0.0.1:2552");
            assertEquals(2, both.code());
            assertTrue(both.err().contains("give either --url"), both.err());
            var learnerOff = ColonyCliTest.cli("learner", "history", "--url", url);
            assertEquals(2, learnerOff.code());
            assertTrue(learnerOff.err().contains("the learner is off"), learnerOff.err());

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
        var down = ColonyCliTest.cli("jobs", "--url", "http://127.0.0.1:1");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach http://127.0.0.1:1"), down.err());
        down = ColonyCliTest.cli("cancel", "x", "--url", "http://127.0.0.1:1");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach http://127.0.0.1:1"), down.err());
    }

    /** On a terminal the bar is drawn over itself; the learner's history comes over HTTP too. */
    @Test
    void shouldRedrawTheBarInPlaceAndShowTheLearnerHistory() throws Exception {
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = web, cpus = 1, memory = 1GiB }
                colony.http { enabled = on, port = 0 }
                """)))) {
            String url = "http://127.0.0.1:" + colony.httpAddress().orElseThrow().getPort();
            var spec = JobSpecReader.parse("""
                    {"id": "drawn", "tasks": [
                      {"id": "a", "kernel": "spin", "params": {"work": 200}},
                      {"id": "b", "kernel": "spin", "params": {"work": 200}, "inputs": {"x": "a"}}]}""", "test");
            colony.submit(spec);
            var bytes = new ByteArrayOutputStream();
            int code = Follow.job(ApiClient.of(url), "drawn", 20, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    true);
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, out);
            String drawn = out.split("\n")[0]; // lines() would split at each carriage return too
            assertTrue(drawn.startsWith("\r[") && drawn.chars().filter(c -> c == '\r').count() >= 2, out);
            assertTrue(drawn.endsWith("2/2 tasks (running 0) succeeded"), out);
            assertTrue(out.contains("job 'drawn' SUCCEEDED"), out);

            var history = ColonyCliTest.cli("learner", "history", "--url", url);
            assertEquals(0, history.code(), history.err());
            assertTrue(history.out().startsWith("v0  built-in least-loaded"), history.out());
            assertTrue(history.out().contains("deployed: v0"), history.out());
        }
    }
}
