package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests an attacker on this machine, or a web page in the operator's browser, could send: each
 * gets the right status and the node keeps answering {@code GET /nodes} within a second.
 */
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Colony colony;
    private static int port;

    record Reply(int code, String body, HttpResponse<String> raw) {
        String error() throws IOException {
            return JSON.readTree(body).path("error").asText();
        }
    }

    @BeforeAll
    static void start() {
        colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = h1, cpus = 2, memory = 1GiB }
                colony.learner.enabled = off
                colony.http { enabled = on, port = 0, max-body = 4MiB, max-connections = 16, header-timeout = 2s }
                """)));
        port = colony.httpAddress().orElseThrow().getPort();
    }

    @AfterAll
    static void stop() {
        colony.close();
    }

    private static Reply post(String body, String contentType, String origin) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (origin != null) {
            request.header("Origin", origin);
        }
        var r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    private static Reply get(String path) throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    /**
     * {@code GET /nodes} answers 200 within a second, on a new connection (a pooled one may have
     * been closed to make room, as a server may close any idle connection).
     */
    private static void assertNodesAnswerQuickly() throws Exception {
        try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            long start = System.nanoTime();
            var r = fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nodes"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(System.nanoTime() - start < 1_000_000_000L, "GET /nodes took over a second");
        }
    }

    private static String nested(int depth) {
        return "{\"id\": \"deep\", \"tasks\": [{\"id\": \"t\", \"kernel\": \"sum\", \"params\": {\"values\": "
                + "[".repeat(depth) + "]".repeat(depth) + "}}]}";
    }

    @Test
    void shouldRefuseDeeplyNestedBodiesNamingTheLimit() throws Exception {
        for (int depth : new int[] {10_000, 100_000}) {
            Reply r = post(nested(depth), "application/json", null);
            assertEquals(400, r.code(), r.body());
            assertTrue(r.error().contains("colony.jobs.json.max-depth"), r.error());
            assertTrue(r.body().length() < 1_000, "the error quotes no more than a short piece: " + r.body().length());
            assertNodesAnswerQuickly();
        }
        Reply legal = post(nested(60), "application/json", null);
        assertEquals(400, legal.code()); // within the depth limit: now the sum kernel says what it takes
        assertFalse(legal.error().contains("max-depth"), legal.error());
    }

    @Test
    void shouldRefuseHugeNumbersEvenEightAtOnce() throws Exception {
        String body = "{\"id\": \"big\", \"tasks\": [{\"id\": \"t\", \"kernel\": \"spin\", \"params\": {\"work\": "
                + "9".repeat(900_000) + "}}]}";
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertNodesAnswerQuickly();
        for (var f : sent) {
            var r = f.get();
            assertTrue(r.statusCode() == 400 || r.statusCode() == 503, r.statusCode() + " " + r.body());
            if (r.statusCode() == 400) {
                String error = JSON.readTree(r.body()).path("error").asText();
                assertTrue(error.contains("colony.jobs.json.max-number-length"), error);
                assertTrue(r.body().length() < 1_000, "an error of " + r.body().length() + " characters");
            }
        }
        assertNodesAnswerQuickly();
    }

    @Test
    void shouldRefuseCrossSiteAndNonJsonBodies() throws Exception {
        String job = "{\"id\": \"csrf\", \"tasks\": [{\"id\": \"t\", \"kernel\": \"sum\", \"params\": {\"values\": [1]}}]}";
        Reply foreign = post(job, "text/plain", "http://evil.example");
        assertEquals(403, foreign.code(), foreign.body());
        assertTrue(foreign.error().contains("cross-origin"), foreign.error());
        assertEquals(403, post(job, "application/json", "http://evil.example").code());
        assertEquals(403, post(job, "application/json", "null").code());
        Reply plain = post(job, "text/plain", null);
        assertEquals(415, plain.code(), plain.body());
        assertTrue(plain.error().contains("application/json"), plain.error());
        assertEquals(415, post("id=csrf", "application/x-www-form-urlencoded", null).code());
        Reply own = post(job, "application/json", "http://127.0.0.1:" + port);
        assertEquals(202, own.code(), own.body());
        assertEquals(404, get("/jobs/never-submitted").code());
    }

    @Test
    void shouldRefuseAForeignHostAsADnsRebindingPageSendsIt() throws Exception {
        String reply = raw("GET /nodes HTTP/1.1\r\nHost: attacker.example:" + port + "\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
        assertTrue(reply.contains("colony.http.allowed-hosts"), reply);
        assertTrue(raw("GET /nodes HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n").startsWith("HTTP/1.1 200"));
    }

    @Test
    void shouldSendSecurityHeadersAndNoServerHeader() throws Exception {
        Reply page = get("/ui/");
        assertEquals(200, page.code());
        var h = page.raw().headers();
        assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("DENY", h.firstValue("X-Frame-Options").orElse(""));
        assertTrue(h.firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertTrue(h.firstValue("Server").isEmpty(), h.toString());
        assertEquals("no-store", get("/nodes").raw().headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void shouldAnswerUnknownIdsWithoutStartingJobs() throws Exception {
        for (int i = 0; i < 50; i++) {
            Reply r = get("/jobs/ghost-" + i);
            assertEquals(404, r.code());
            assertTrue(r.error().contains("the job list has every running job"), r.error());
        }
        Reply long_ = get("/jobs/" + "x".repeat(5_000));
        assertEquals(404, long_.code());
        assertTrue(long_.body().length() < 500, long_.body());
    }

    @Test
    void shouldKeepAnsweringWhileSlowClientsHoldConnections() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) { // more than colony.http.max-connections = 16
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write("GET /nodes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 5; i++) {
                assertNodesAnswerQuickly();
            }
            // A client that never finishes its head is closed after colony.http.header-timeout (2 s).
            Socket last = slow.getLast();
            last.setSoTimeout(15_000);
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(15), () -> {
                assertEquals(-1, last.getInputStream().read());
                return null;
            });
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void shouldRejectDeepParametersBuiltInJava() {
        var deep = JSON.createObjectNode();
        JsonNode inner = JSON.createArrayNode();
        for (int i = 0; i < 100_000; i++) {
            inner = JSON.createArrayNode().add(inner);
        }
        deep.set("values", inner);
        var result = colony.submit(dev.colony.actors.job.JobSpec.of("deep-java",
                List.of(dev.colony.actors.job.TaskSpec.of("t", "sum", deep)))).toCompletableFuture().join();
        assertEquals(dev.colony.actors.job.JobResult.Outcome.REJECTED, result.outcome(), result.reason());
        assertTrue(result.reason().contains("colony.jobs.json.max-depth"), result.reason());
    }

    /** Sends {@code request} as it is and reads the answer until the server closes or goes quiet. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0 && out.size() < 64_000; ) {
                    out.write(buf, 0, n);
                    if (out.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n") && out.toString(
                            StandardCharsets.US_ASCII).contains("}")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // keep-alive: the whole answer has arrived
            }
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
