package dev.colony.runtime.cli;

import dev.colony.actors.job.JobResult;
import dev.colony.runtime.Colony;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code colony bench overload}: what a new user does to one node: {@code jobs} jobs of
 * {@code tasks} tiny {@code noop} tasks POSTed over HTTP at once (a 429 or 503 is retried after its
 * Retry-After, as its answer asks; after a 504, {@code GET /jobs/ID} tells whether it got in), while {@code GET /nodes} is polled every 100 ms. Prints the
 * answers to the POSTs by status, whether every job succeeded, the task rate, how long
 * {@code GET /nodes} took (worst, 99th percentile, how many over 1 s) and this process's peak RSS.
 * Exits 1 unless every job succeeded and {@code GET /nodes} always answered within 1 s.
 */
final class OverloadBench {

    private static final Duration SLOW = Duration.ofSeconds(1);

    private final ConfigOptions config;
    private final int jobs;
    private final int tasks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    private static final int MAX_REASON_CHARS = 300;
    private final Map<Integer, String> firstReasons = new ConcurrentHashMap<>(); // status other than 202 → its first body
    private final List<Long> postMs = java.util.Collections.synchronizedList(new ArrayList<>());

    OverloadBench(ConfigOptions config, int jobs, int tasks) {
        if (jobs < 1 || tasks < 1) {
            throw new IllegalArgumentException("--jobs = " + jobs + " and --tasks = " + tasks + " must be at least 1");
        }
        this.config = config;
        this.jobs = jobs;
        this.tasks = tasks;
    }

    int run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("colony-overload");
        config.set("colony.http.enabled", "on");
        config.set("colony.http.port", 0);
        config.set("colony.persistence.data-dir", dir.toString());
        try (Colony colony = Colony.start(config.settings())) {
            String base = "http://127.0.0.1:" + colony.httpAddress().orElseThrow().getPort();
            out.printf(Locale.ROOT, "one node (%s journal, data in %s): %d jobs of %d noop tasks POSTed at once%n",
                    colony.settings().persistence().journal().kind().name().toLowerCase(Locale.ROOT), dir, jobs, tasks);
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<Long> nodeMs = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread poller = Thread.ofPlatform().name("overload-nodes").start(() -> poll(base, nodeMs, polling));
            ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
            long t0 = System.nanoTime();
            List<CompletableFuture<JobResult>> results = new ArrayList<>();
            try {
                List<CompletableFuture<String>> accepted = new ArrayList<>();
                for (int j = 0; j < jobs; j++) {
                    accepted.add(post(base, "overload-" + run + "-" + j, retries));
                }
                for (CompletableFuture<String> a : accepted) {
                    String id = a.get(10, TimeUnit.MINUTES);
                    results.add(id == null ? CompletableFuture.completedFuture(null)
                            : colony.result(id).toCompletableFuture());
                }
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            } finally {
                polling.set(false);
                poller.join();
                retries.shutdownNow();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long succeeded = results.stream().map(CompletableFuture::join).filter(r -> r != null && r.succeeded()).count();
            return report(out, succeeded, seconds, nodeMs);
        }
    }

    /** POSTs job {@code id}: completes with the id once it is accepted (202), with null when refused for good. */
    private CompletableFuture<String> post(String base, String id, ScheduledExecutorService retries) {
        StringBuilder body = new StringBuilder("{\"id\": \"" + id + "\", \"tasks\": [");
        for (int t = 0; t < tasks; t++) {
            body.append(t == 0 ? "" : ", ").append("{\"id\": \"t").append(t).append("\", \"kernel\": \"noop\"}");
        }
        body.append("]}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        CompletableFuture<String> done = new CompletableFuture<>();
        send(request, id, retries, done);
        return done;
    }

    private void send(HttpRequest request, String id, ScheduledExecutorService retries, CompletableFuture<String> done) {
        long t = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            int code = e != null ? -1 : r.statusCode();
            answers.merge(code, 1, Integer::sum);
            if (code != 202) {
                String why = e != null ? e.toString() : r.body();
                firstReasons.putIfAbsent(code, why.length() > MAX_REASON_CHARS
                        ? why.substring(0, MAX_REASON_CHARS) + "…" : why);
            }
            postMs.add((System.nanoTime() - t) / 1_000_000);
            if (code == 202) {
                done.complete(id);
            } else if (code == 504) { // not confirmed in time: GET /jobs/ID tells whether it got in
                retries.schedule(() -> done.complete(gotIn(request, id) ? id : null), 0, TimeUnit.SECONDS);
            } else if (code == 429 || code == 503) {
                long after = r.headers().firstValueAsLong("Retry-After").orElse(1);
                retries.schedule(() -> send(request, id, retries, done), after, TimeUnit.SECONDS);
            } else {
                done.complete(null);
            }
        });
    }

    /** Whether job {@code id}, whose POST was answered 504, was accepted: asks GET /jobs/ID for up to 2 minutes. */
    private boolean gotIn(HttpRequest post, String id) {
        HttpRequest get = HttpRequest.newBuilder(post.uri().resolve("/jobs/" + id + "?size=1"))
                .timeout(Duration.ofSeconds(30)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
                Thread.sleep(500);
            } catch (IOException e) {
                // ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void poll(String base, List<Long> nodeMs, AtomicBoolean polling) {
        HttpRequest nodes = HttpRequest.newBuilder(URI.create(base + "/nodes")).timeout(Duration.ofSeconds(10)).build();
        while (polling.get()) {
            long t = System.nanoTime();
            try {
                int code = http.send(nodes, HttpResponse.BodyHandlers.discarding()).statusCode();
                nodeMs.add(code == 200 ? (System.nanoTime() - t) / 1_000_000 : Long.MAX_VALUE);
                Thread.sleep(100);
            } catch (IOException e) {
                nodeMs.add(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int report(PrintStream out, long succeeded, double seconds, List<Long> nodeMs) throws IOException {
        long[] post;
        synchronized (postMs) {
            post = postMs.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        out.printf(Locale.ROOT, "  POST /jobs answers: %s (-1: no answer; a 504 is followed by GET /jobs/ID); "
                + "answered in median %d ms, worst %d ms%n", new TreeMap<>(answers), post[post.length / 2],
                post[post.length - 1]);
        new TreeMap<>(firstReasons).forEach((code, why) -> out.printf(Locale.ROOT, "    first %d: %s%n", code, why));
        out.printf(Locale.ROOT, "  jobs succeeded: %d of %d; %,.0f tasks/s from the first POST to the last result%n",
                succeeded, jobs, (double) succeeded * tasks / seconds);
        long[] ms;
        synchronized (nodeMs) {
            ms = nodeMs.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        long slow = Arrays.stream(ms).filter(m -> m > SLOW.toMillis()).count();
        out.printf(Locale.ROOT, "  GET /nodes: %d answers, worst %s, 99th percentile %d ms, %d over %d ms%n",
                ms.length, ms.length == 0 ? "-" : ms[ms.length - 1] == Long.MAX_VALUE ? "failed" : ms[ms.length - 1] + " ms",
                ms.length == 0 ? 0 : ms[(int) Math.min(ms.length - 1, Math.floor(ms.length * 0.99))], slow, SLOW.toMillis());
        out.printf(Locale.ROOT, "  peak RSS of this process: %s%n", peakRss());
        return succeeded == jobs && slow == 0 && ms.length > 0 ? 0 : 1;
    }

    /** VmHWM from /proc/self/status (Linux), or "unknown". */
    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown (no /proc)";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
    }
}
