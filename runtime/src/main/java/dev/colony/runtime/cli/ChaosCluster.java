package dev.colony.runtime.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node processes of {@code colony bench chaos}: {@code colony node} processes on 127.0.0.1,
 * each with fixed cluster and HTTP ports and a data directory of its own, started, killed with
 * {@code kill -9} and started again. A restarted member joins the live ones (its seeds); with none
 * alive it starts the cluster again. Each process's output goes to {@code DIR/NAME.log}.
 */
final class ChaosCluster implements AutoCloseable {

    /** One member: its name, ports and files. */
    record Member(String name, int port, int httpPort, Path dataDir, Path log) {
    }

    private final List<Member> members = new ArrayList<>();
    private final Process[] processes;
    private final long[] upSince;
    private final String journal;
    private final int cpus;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ChaosCluster(Path dir, int nodes, String journal, int cpus) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < nodes; i++) {
            String name = "n" + (i + 1);
            members.add(new Member(name, freePort(), freePort(), dir.resolve(name), dir.resolve(name + ".log")));
        }
        this.processes = new Process[nodes];
        this.upSince = new long[nodes];
        this.journal = journal;
        this.cpus = cpus;
    }

    int size() {
        return members.size();
    }

    Member member(int i) {
        return members.get(i);
    }

    boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** The live member that has been up longest: the cluster's oldest. */
    int oldest() {
        int oldest = -1;
        for (int i = 0; i < size(); i++) {
            if (alive(i) && (oldest < 0 || upSince[i] < upSince[oldest])) {
                oldest = i;
            }
        }
        return oldest;
    }

    /** Starts member {@code i}, joining the live members (none: a cluster of its own), and waits until its API answers. */
    void start(int i, Duration limit) throws IOException, InterruptedException {
        Member m = members.get(i);
        List<String> seeds = new ArrayList<>();
        for (int j = 0; j < size(); j++) {
            if (j != i && alive(j)) {
                seeds.add("127.0.0.1:" + members.get(j).port());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ColonyCli.class.getName(), "node", "--name", m.name(), "--port", Integer.toString(m.port()),
                "--http-port", Integer.toString(m.httpPort()), "--journal", journal, "--data-dir",
                m.dataDir().toString(), "--cpus", Integer.toString(cpus), "--memory", "1g", "--gpus", "none",
                "--set", "colony.learner.enabled=off"));
        if (!seeds.isEmpty()) {
            cmd.addAll(List.of("--seed", String.join(",", seeds)));
        }
        Files.writeString(m.log(), "\n==== start " + m.name() + " seeds " + seeds + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        processes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log().toFile())).start();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                throw new IllegalStateException(m.name() + " exited " + processes[i].exitValue() + " while starting; "
                        + "the end of " + m.log() + ":\n" + tail(m.log()));
            }
            if (get(i, "/nodes") == 200) {
                upSince[i] = System.nanoTime();
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(m.name() + " did not answer within " + limit.toSeconds() + " s; the end of "
                + m.log() + ":\n" + tail(m.log()));
    }

    /** {@code kill -9} of member {@code i}. */
    void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The status code of {@code GET path} on member {@code i}; -1 when it cannot be reached. */
    int get(int i, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base(i) + path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String base(int i) {
        return "http://127.0.0.1:" + members.get(i).httpPort();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < size(); i++) {
            if (alive(i)) {
                processes[i].destroy(); // SIGTERM: leave in order
            }
        }
        for (int i = 0; i < size(); i++) {
            if (processes[i] != null && !processes[i].waitFor(60, TimeUnit.SECONDS)) {
                processes[i].destroyForcibly();
            }
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
