package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code colony bench chaos}: node processes on 127.0.0.1 run sum DAGs submitted over HTTP while
 * members are killed with {@code kill -9} and started again: some right after a 202, some right
 * after a job is reported SUCCEEDED, the oldest member among them. Then every job answered 202
 * must end exactly once with the right sum, and every job seen SUCCEEDED must still be. Prints
 * submitted / accepted / ended / lost / duplicated / wrong / stuck; any loss is a failure.
 */
final class ChaosBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a member is killed. */
    enum Kill { AFTER_ACCEPT, AFTER_SUCCEEDED, ANY_TIME, WHOLE_CLUSTER }

    private final ChaosCluster cluster;
    private final int jobs;
    private final int layers;
    private final int width;
    private final int spinMs;
    private final SplittableRandom random;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Double> expected = new ConcurrentHashMap<>();
    private final Map<String, Integer> accepted202 = new ConcurrentHashMap<>(); // id → how many 202s
    private final Set<String> acceptedAfterRetry = ConcurrentHashMap.newKeySet();
    private final Set<String> notAccepted = ConcurrentHashMap.newKeySet();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final Set<String> seenSucceeded = ConcurrentHashMap.newKeySet();
    private final List<String> kills = new ArrayList<>();
    private volatile CompletableFuture<Long> nextAccept; // completed with the time of a 202 from the armed member
    private volatile int armed = -1;

    ChaosBench(ChaosCluster cluster, int jobs, int layers, int width, int spinMs, long seed, PrintStream out) {
        this.cluster = cluster;
        this.jobs = jobs;
        this.layers = layers;
        this.width = width;
        this.spinMs = spinMs;
        this.random = new SplittableRandom(seed);
        this.out = out;
    }

    /** Runs it: {@code plan} kills while the jobs go in, then waits up to {@code limit} for them; true when nothing was lost. */
    boolean run(List<Kill> plan, Duration limit) throws Exception {
        long started = System.nanoTime();
        Duration startLimit = Duration.ofSeconds(120);
        for (int i = 0; i < cluster.size(); i++) {
            cluster.start(i, startLimit);
        }
        out.printf("chaos: %d node(s) up; %d jobs of %d tasks; kills: %s%n", cluster.size(), jobs,
                layers * width + layers, plan);
        CompletableFuture<Void> submitting = CompletableFuture.runAsync(this::submitAll);
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            Thread.sleep(500 + random.nextInt(1500));
            int victim = k == 0 ? cluster.oldest() : random.nextInt(cluster.size());
            killAndRestart(victim, plan.get(k), startLimit, problems);
        }
        submitting.get(limit.toSeconds(), TimeUnit.SECONDS);
        Map<String, String> finalPhase = awaitEnds(started + limit.toNanos());
        return report(finalPhase, problems, Duration.ofNanos(System.nanoTime() - started));
    }

    private void killAndRestart(int victim, Kill how, Duration startLimit, List<String> problems) throws Exception {
        String oldest = victim == cluster.oldest() ? " (the oldest)" : "";
        String name = cluster.member(victim).name();
        switch (how) {
            case AFTER_ACCEPT -> {
                CompletableFuture<Long> at = new CompletableFuture<>();
                nextAccept = at;
                armed = victim;
                Long when = at.completeOnTimeout(null, 30, TimeUnit.SECONDS).get();
                cluster.kill(victim);
                armed = -1;
                kills.add(name + oldest + (when == null ? " (no 202 came in 30 s)" : " "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - when) + " ms after a 202"));
            }
            case AFTER_SUCCEEDED -> {
                String id = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (id == null && System.nanoTime() < deadline) {
                    id = newlySucceeded(victim);
                }
                long when = System.nanoTime();
                cluster.kill(victim);
                kills.add(name + oldest + (id == null ? " (nothing succeeded in 60 s)" : " "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - when) + " ms after job " + id
                        + " was reported SUCCEEDED"));
            }
            case ANY_TIME -> {
                cluster.kill(victim);
                kills.add(name + oldest + " at any time");
            }
            case WHOLE_CLUSTER -> {
                for (int i = 0; i < cluster.size(); i++) {
                    cluster.kill(i);
                }
                kills.add("every member at once");
                Thread.sleep(1_000);
                for (int i = 0; i < cluster.size(); i++) { // the first forms the cluster again, the others join it
                    try {
                        cluster.start(i, startLimit);
                    } catch (IllegalStateException e) {
                        problems.add("restart of " + cluster.member(i).name() + " failed: " + e.getMessage());
                    }
                }
                return;
            }
        }
        Thread.sleep(1_000);
        try {
            cluster.start(victim, startLimit);
        } catch (IllegalStateException e) {
            problems.add("restart of " + name + " failed: " + e.getMessage());
        }
    }

    /** A job this member reports SUCCEEDED now that was not seen so before, or null. */
    private String newlySucceeded(int member) throws InterruptedException {
        for (String id : List.copyOf(accepted202.keySet())) {
            if (!seenSucceeded.contains(id) && "SUCCEEDED".equals(phase(member, id))) {
                seenSucceeded.add(id);
                return id;
            }
        }
        Thread.sleep(20);
        return null;
    }

    private void submitAll() {
        for (int j = 0; j < jobs; j++) {
            String id = "chaos-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE) + "-" + j;
            String body = job(id);
            try {
                submit(id, body);
                Thread.sleep(150 + random.nextInt(300));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** POSTs job {@code id} to a live member, trying others on 5xx or a dead connection. */
    private void submit(String id, String body) throws InterruptedException {
        for (int attempt = 0; attempt < 40; attempt++) {
            int member = random.nextInt(cluster.size());
            if (!cluster.alive(member)) {
                Thread.sleep(250);
                continue;
            }
            int code = post(member, body);
            if (code == 202) {
                accepted202.merge(id, 1, Integer::sum);
                CompletableFuture<Long> at = nextAccept;
                if (member == armed && at != null) {
                    at.complete(System.nanoTime());
                }
                return;
            }
            if (code == 409 && attempt > 0) { // an earlier attempt got in before its answer was lost
                accepted202.merge(id, 0, Integer::sum);
                acceptedAfterRetry.add(id);
                return;
            }
            if (code >= 400 && code < 500) {
                rejected.add(id + " (" + code + ")");
                return;
            }
            Thread.sleep(500);
        }
        notAccepted.add(id);
    }

    /** Waits until every accepted job has ended, or the deadline; returns each one's last phase. */
    private Map<String, String> awaitEnds(long deadline) throws InterruptedException {
        Map<String, String> phases = new LinkedHashMap<>();
        for (String id : accepted202.keySet()) {
            String p;
            do {
                p = phaseAnywhere(id);
                if (p != null && !p.equals("RUNNING")) {
                    break;
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            phases.put(id, p);
        }
        return phases;
    }

    private boolean report(Map<String, String> phases, List<String> problems, Duration took) throws InterruptedException {
        int succeeded = 0;
        int failed = 0;
        List<String> lost = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        for (var e : phases.entrySet()) {
            String id = e.getKey();
            String p = e.getValue();
            if (p == null || p.equals("UNKNOWN")) {
                lost.add(id + (seenSucceeded.contains(id) ? " (it had been reported SUCCEEDED)" : " (answered 202)"));
            } else if (p.equals("RUNNING")) {
                stuck.add(id);
            } else if (p.equals("SUCCEEDED")) {
                succeeded++;
                Double total = total(id);
                if (total == null || Math.abs(total - expected.get(id)) > 1e-6) {
                    wrong.add(id + ": total " + total + ", expected " + expected.get(id));
                }
            } else {
                failed++;
                if (seenSucceeded.contains(id)) {
                    lost.add(id + " (reported SUCCEEDED, now " + p + ")");
                }
            }
        }
        List<String> duplicated = accepted202.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " (" + e.getValue() + " × 202)").toList();
        out.printf("chaos: %s, %d kill(s) in %d s%n", cluster.size() + " node(s)", kills.size(), took.toSeconds());
        kills.forEach(k -> out.println("  kill " + k));
        out.printf("  submitted %d, accepted %d (%d after a retry), not accepted %d, rejected %d%n", jobs,
                accepted202.size(), acceptedAfterRetry.size(), notAccepted.size(), rejected.size());
        out.printf("  ended %d (succeeded %d, failed %d), lost %d, duplicated %d, wrong %d, stuck %d%n",
                succeeded + failed, succeeded, failed, lost.size(), duplicated.size(), wrong.size(), stuck.size());
        for (List<String> l : List.of(lost, duplicated, wrong, stuck, List.copyOf(rejected), problems)) {
            l.stream().limit(10).forEach(x -> out.println("  ! " + x));
        }
        if (accepted202.isEmpty()) {
            out.println("  ! no job was accepted: the run shows nothing");
        }
        return !accepted202.isEmpty() && lost.isEmpty() && duplicated.isEmpty() && wrong.isEmpty() && stuck.isEmpty() && rejected.isEmpty()
                && problems.isEmpty() && failed == 0;
    }

    /** The job's spec: layers of sums, each task adding every task of the layer before, and a spin between layers. */
    private String job(String id) {
        ObjectNode job = JSON.createObjectNode().put("id", id);
        ArrayNode tasks = job.putArray("tasks");
        double[] values = new double[width];
        for (int i = 0; i < width; i++) {
            values[i] = 1 + random.nextInt(100);
            ObjectNode t = tasks.addObject().put("id", "s0-" + i).put("kernel", "sum");
            t.putObject("params").putArray("values").add(values[i]);
        }
        for (int l = 1; l < layers; l++) {
            ObjectNode spin = tasks.addObject().put("id", "spin" + l).put("kernel", "spin");
            spin.putObject("params").put("work", spinMs);
            ArrayNode spinDeps = spin.putArray("dependsOn");
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            for (int i = 0; i < width; i++) {
                spinDeps.add("s" + (l - 1) + "-" + i);
                ObjectNode t = tasks.addObject().put("id", "s" + l + "-" + i).put("kernel", "sum");
                ObjectNode in = t.putObject("inputs");
                for (int k = 0; k < width; k++) {
                    in.put("x" + k, "s" + (l - 1) + "-" + k);
                }
                t.putArray("dependsOn").add("spin" + l);
                values[i] = sum;
            }
        }
        ObjectNode total = tasks.addObject().put("id", "total").put("kernel", "sum");
        ObjectNode in = total.putObject("inputs");
        double sum = 0;
        for (int k = 0; k < width; k++) {
            in.put("x" + k, "s" + (layers - 1) + "-" + k);
            sum += values[k];
        }
        expected.put(id, sum);
        return job.toString();
    }

    private String phaseAnywhere(String id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.alive(i)) {
                String p = phase(i, id);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The job's phase as member {@code i} answers it: UNKNOWN for 404, null when it cannot answer now. */
    private String phase(int i, String id) {
        JsonNode r = getJson(i, "/jobs/" + id);
        return r == null ? null : r.has("error") && r.path("status").asInt() == 404 ? "UNKNOWN" : r.path("phase")
                .asText(null);
    }

    private Double total(String id) {
        for (int i = 0; i < cluster.size(); i++) {
            JsonNode r = cluster.alive(i) ? getJson(i, "/jobs/" + id + "/result") : null;
            if (r != null && r.path("outputs").has("total")) {
                return r.path("outputs").path("total").asDouble();
            }
        }
        return null;
    }

    private int post(int member, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(cluster.base(member) + "/jobs"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The JSON answer of member {@code i} with its status put in "status"; null on 5xx or no answer. */
    private JsonNode getJson(int i, String path) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create(cluster.base(i) + path)).timeout(Duration.ofSeconds(15))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) {
                return null;
            }
            ObjectNode body = (ObjectNode) JSON.readTree(r.body());
            return body.put("status", r.statusCode());
        } catch (IOException | ClassCastException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The default plan of {@code kills} kills: the oldest right after a 202 first, then one right
     * after SUCCEEDED, one at any time, every member at once, and round again.
     */
    static List<Kill> plan(int kills) {
        List<Kill> plan = new ArrayList<>();
        Kill[] order = {Kill.AFTER_ACCEPT, Kill.AFTER_SUCCEEDED, Kill.ANY_TIME, Kill.WHOLE_CLUSTER};
        for (int k = 0; k < kills; k++) {
            plan.add(order[k % order.length]);
        }
        return plan;
    }

    static Path defaultDir() throws IOException {
        return java.nio.file.Files.createTempDirectory("colony-chaos-");
    }
}
