package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The HTTP API of a runtime (memory journal), through java.net.http. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    record Reply(int code, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    private static Colony colony(String http) {
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = h1, cpus = 2, memory = 1GiB }
                colony.learner.enabled = off
                colony.http { enabled = on, port = 0 }
                """ + http)));
    }

    private static Reply send(Colony colony, String method, String path, String body, String token) throws Exception {
        var address = colony.httpAddress().orElseThrow();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    }

    private static HttpResponse<String> metrics(Colony colony) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + colony.httpAddress().orElseThrow().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String job(String id) {
        return """
                {"id": "%s", "tasks": [
                  {"id": "a", "kernel": "sum", "params": {"values": [1, 2]}},
                  {"id": "b", "kernel": "sum", "inputs": {"x": "a"}}]}""".formatted(id);
    }

    /** Two POSTs of one id with different specs at once: the job's entity lets exactly one in. */
    @Test
    void shouldAcceptExactlyOneOfTwoRacingSubmissionsOfAnId() throws Exception {
        try (Colony colony = colony("")) {
            for (int pair = 0; pair < 10; pair++) {
                String id = "race-" + pair;
                String other = job(id).replace("\"values\": [1, 2]", "\"values\": [5]");
                var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendQuietly(colony, job(id)));
                var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendQuietly(colony, other));
                List<Integer> codes = new java.util.ArrayList<>(List.of(first.join().code(), second.join().code()));
                java.util.Collections.sort(codes);
                assertEquals(List.of(202, 409), codes, "pair " + pair);
                Reply loser = first.join().code() == 409 ? first.join() : second.join();
                assertTrue(loser.error().contains("job id '" + id + "' is already in use"), loser.error());
            }
        }
    }

    /** A journal write that does not confirm within colony.http.accept-timeout is 504, in JSON, saying what to do. */
    @Test
    void shouldAnswer504WhenTheAcceptanceIsNotConfirmedInTime() throws Exception {
        try (Colony colony = colony("colony.http.accept-timeout = 1ns")) {
            Reply late = send(colony, "POST", "/jobs", job("late"), null);
            assertEquals(504, late.code(), late.body().toString());
            assertTrue(late.error().contains("job 'late' was not confirmed accepted within 0 ms "
                    + "(colony.http.accept-timeout): its journal write did not answer"), late.error());
            assertTrue(late.error().contains("GET /jobs/late tells whether it got in"), late.error());
        }
    }

    private static Reply sendQuietly(Colony colony, String body) {
        try {
            return send(colony, "POST", "/jobs", body, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSubmitAJobAndShowItsStatusAndTheNodes() throws Exception {
        try (Colony colony = colony("")) {
            String id = "http-" + UUID.randomUUID();
            Reply accepted = send(colony, "POST", "/jobs", job(id), null);
            assertEquals(202, accepted.code(), accepted.body().toString());
            assertEquals("/jobs/" + id, accepted.body().path("status").asText());
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                Reply status = send(colony, "GET", "/jobs/" + id, null, null);
                assertEquals(200, status.code());
                assertEquals("SUCCEEDED", status.body().path("phase").asText(), status.body().toString());
                assertEquals("h1", status.body().path("tasks").path("b").path("node").asText());
                long started = status.body().path("tasks").path("b").path("startedAtMs").asLong();
                assertTrue(started >= status.body().path("acceptedAtMs").asLong(), status.body().toString());
                return null;
            });
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(10), () -> {
                Reply list = send(colony, "GET", "/jobs", null, null);
                assertEquals(200, list.code());
                assertEquals(1, list.body().path("succeeded").asInt(), list.body().toString());
                JsonNode listed = list.body().path("jobs").path(0);
                assertEquals(id, listed.path("id").asText());
                assertEquals("SUCCEEDED", listed.path("phase").asText());
                assertEquals(2, listed.path("tasks").asInt());
                assertEquals(2, listed.path("done").asInt());
                return null;
            });
            // a page of its tasks: those succeeded, the second of pages of one
            Reply page = send(colony, "GET", "/jobs/" + id + "?tasks=succeeded&page=1&size=1", null, null);
            assertEquals(200, page.code(), page.body().toString());
            assertEquals(List.of("b"), List.copyOf(iterable(page.body().path("tasks").fieldNames())));
            assertEquals(2, page.body().path("page").path("matching").asInt(), page.body().toString());
            assertTrue(page.body().path("counts").isNull(), "counts on page 0 only: " + page.body());
            assertEquals(2, send(colony, "GET", "/jobs/" + id, null, null).body().path("counts").path("SUCCEEDED").asInt());
            Reply badSize = send(colony, "GET", "/jobs/" + id + "?size=5000", null, null);
            assertEquals(400, badSize.code());
            assertEquals("size '5000' must be a number in 1..1000", badSize.error());
            assertEquals("tasks 'done' is not one of all, pending, released, running, succeeded, failed, cancelled",
                    send(colony, "GET", "/jobs/" + id + "?tasks=done", null, null).error());
            Reply result = send(colony, "GET", "/jobs/" + id + "/result", null, null);
            assertEquals(200, result.code(), result.body().toString());
            assertEquals("SUCCEEDED", result.body().path("outcome").asText());
            assertEquals(3.0, result.body().path("outputs").path("b").asDouble(), result.body().toString());
            assertEquals(404, send(colony, "GET", "/jobs/nobody/result", null, null).code());
            assertEquals(0, send(colony, "GET", "/jobs?phase=running", null, null).body().path("jobs").size());
            Reply nodes = send(colony, "GET", "/nodes", null, null);
            assertEquals(200, nodes.code());
            assertEquals("h1", nodes.body().path(0).path("name").asText());
            assertEquals(2.0, nodes.body().path(0).path("capacity").path("cpus").asDouble(), nodes.body().toString());
            assertTrue(nodes.body().path(0).path("load").has("queued"), nodes.body().toString());
            var metrics = metrics(colony);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().toString());
            assertTrue(metrics.body().contains("colony_node_capacity_cpus{node=\"h1\"} 2.0"), metrics.body());
            assertTrue(metrics.body().contains("colony_jobs_ended_total{outcome=\"succeeded\"} 1"), metrics.body());
            Reply again = send(colony, "POST", "/jobs", job(id), null);
            assertEquals(409, again.code());
            assertTrue(again.error().contains("job id '" + id + "' is already in use (its job is succeeded)"), again.error());
        }
    }

    /**
     * Overload: beyond colony.jobs.max-running jobs wait QUEUED; beyond max-queued waiting, POST
     * /jobs is 429 with Retry-After, naming the limit; a queued job runs once a running one ends.
     */
    @Test
    void shouldQueueJobsThenAnswer429WhenTooManyWait() throws Exception {
        try (Colony colony = colony("colony.jobs { max-running = 1, max-queued = 1 }")) {
            String spin = """
                    {"id": "%s", "tasks": [{"id": "s", "kernel": "spin", "params": {"work": 600000}}]}""";
            assertEquals(202, send(colony, "POST", "/jobs", spin.formatted("busy"), null).code());
            assertEquals(202, send(colony, "POST", "/jobs", spin.formatted("waits"), null).code());
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals("QUEUED", send(colony, "GET", "/jobs/waits", null, null).body().path("phase").asText());
                return null;
            });
            HttpResponse<String> full = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + colony.httpAddress().orElseThrow().getPort() + "/jobs")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(spin.formatted("third"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, full.statusCode(), full.body());
            assertTrue(full.headers().firstValue("Retry-After").isPresent(), full.headers().toString());
            assertTrue(JSON.readTree(full.body()).path("error").asText().contains("colony.jobs.max-queued = 1"),
                    full.body());
            assertEquals(202, send(colony, "DELETE", "/jobs/busy", null, null).code());
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals("RUNNING", send(colony, "GET", "/jobs/waits", null, null).body().path("phase").asText());
                return null;
            });
            assertEquals(202, send(colony, "DELETE", "/jobs/waits", null, null).code());
        }
    }

    /** A running job is listed with its progress (asked of the job in its small form), and cancelled through the API. */
    @Test
    void shouldListARunningJobWithItsProgressThenCancelIt() throws Exception {
        try (Colony colony = colony("")) {
            Reply accepted = send(colony, "POST", "/jobs", """
                    {"id": "long", "tasks": [
                      {"id": "quick", "kernel": "sum", "params": {"values": [1]}},
                      {"id": "slow", "kernel": "spin", "params": {"work": 600000}, "inputs": {"x": "quick"}}]}""",
                    null);
            assertEquals(202, accepted.code(), accepted.body().toString());
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                Reply list = send(colony, "GET", "/jobs?phase=running", null, null);
                assertEquals(1, list.body().path("running").asInt(), list.body().toString());
                JsonNode job = list.body().path("jobs").path(0);
                assertEquals("long", job.path("id").asText());
                assertEquals(1, job.path("done").asInt(), list.body().toString());
                assertEquals(1, job.path("runningTasks").asInt(), list.body().toString());
                return null;
            });
            Reply cancelled = send(colony, "DELETE", "/jobs/long", null, null);
            assertEquals(202, cancelled.code());
            assertTrue(cancelled.body().path("cancelled").asBoolean());
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                JsonNode job = send(colony, "GET", "/jobs", null, null).body().path("jobs").path(0);
                assertEquals("FAILED", job.path("phase").asText(), job.toString());
                assertTrue(job.path("reason").asText().contains("cancelled through the HTTP API"), job.toString());
                return null;
            });
        }
    }

    @Test
    void shouldShowTheLearnerWhenItRuns() throws Exception {
        try (Colony colony = colony("colony.learner.enabled = on")) {
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                Reply learner = send(colony, "GET", "/learner", null, null);
                assertEquals(200, learner.code(), learner.body().toString());
                assertEquals(0, learner.body().path("state").path("generation").asInt(), learner.body().toString());
                assertTrue(learner.body().path("objective").asText().contains("mean"), learner.body().toString());
                return null;
            });
            var metrics = metrics(colony).body();
            assertTrue(metrics.contains("colony_learner_generation 0.0") && metrics.contains(
                    "colony_learner_deployed_version 0.0"), metrics);
        }
        try (Colony colony = colony("")) {
            Reply off = send(colony, "GET", "/learner", null, null);
            assertEquals(404, off.code());
            assertEquals("the learner is off (colony.learner.enabled)", off.error());
        }
    }

    @Test
    void shouldAnswerBadInputWithTheProblemNamed() throws Exception {
        try (Colony colony = colony("colony.http.max-body = 1KiB")) {
            Reply malformed = send(colony, "POST", "/jobs", "{\"id\": \"x\", \"tasks\": [", null);
            assertEquals(400, malformed.code());
            assertTrue(malformed.error().startsWith("request body"), malformed.error());
            Reply unknownField = send(colony, "POST", "/jobs", "{\"id\": \"x\", \"colour\": 1, \"tasks\": []}", null);
            assertEquals(400, unknownField.code());
            assertTrue(unknownField.error().contains("colour"), unknownField.error());
            Reply badKernel = send(colony, "POST", "/jobs", "{\"id\": \"x\", \"tasks\": [{\"id\": \"t\", \"kernel\": "
                    + "\"teleport\"}]}", null);
            assertEquals(400, badKernel.code());
            assertTrue(badKernel.error().contains("teleport"), badKernel.error());
            Reply tooLarge = send(colony, "POST", "/jobs", job("x" + "y".repeat(2_000)), null);
            assertEquals(413, tooLarge.code(), tooLarge.body().toString());
            assertEquals("the request body is larger than colony.http.max-body = 1024 bytes", tooLarge.error());
            Reply unknown = send(colony, "GET", "/jobs/nobody", null, null);
            assertEquals(404, unknown.code());
            assertTrue(unknown.error().startsWith("no job with id 'nobody' (the job list has"), unknown.error());
            assertEquals(404, send(colony, "DELETE", "/jobs/nobody", null, null).code());
            assertEquals(404, send(colony, "GET", "/no-such-path", null, null).code());
            Reply badPhase = send(colony, "GET", "/jobs?phase=sleeping", null, null);
            assertEquals(400, badPhase.code());
            assertEquals("phase 'sleeping' is not one of running, succeeded, failed", badPhase.error());
            Reply badLimit = send(colony, "GET", "/jobs?limit=0", null, null);
            assertEquals(400, badLimit.code());
            assertEquals("limit '0' must be a number in 1..1000", badLimit.error());
        }
    }

    @Test
    void shouldRefuseRequestsWithoutTheTokenWhenOneIsSet() throws Exception {
        try (Colony colony = colony("colony.http.token = s3cret")) {
            Reply none = send(colony, "GET", "/nodes", null, null);
            assertEquals(401, none.code());
            assertTrue(none.error().contains("Authorization: Bearer"), none.error());
            assertEquals(401, send(colony, "GET", "/nodes", null, "guess").code());
            assertEquals(200, send(colony, "GET", "/nodes", null, "s3cret").code());
            assertEquals(401, send(colony, "GET", "/jobs", null, null).code());
            // The dashboard's page and script hold no data: served without the token, they ask for it.
            var page = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + colony.httpAddress().orElseThrow().getPort() + "/ui/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
            assertTrue(page.body().contains("id=\"token-bar\""), page.body());
        }
    }

    @Test
    void shouldRefuseToListenBeyondThisMachineWithoutAToken() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new HttpSettings(true, "0.0.0.0", 8080, "", 1024));
        assertTrue(e.getMessage().contains("colony.http.host = 0.0.0.0 is reachable from other machines: set "
                + "colony.http.token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings(true, "127.0.0.1", 70_000, "", 1024));
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> all = new java.util.ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }
}
