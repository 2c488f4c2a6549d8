package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code colony submit --url ... --follow}: polls the job's status through the HTTP API, draws a
 * progress bar (tasks ended of all) until the job ends, then prints where each task ran. On a
 * terminal the bar is redrawn in place; piped to a file, each change is a line of its own.
 */
final class Follow {

    private static final int WIDTH = 30;
    private static final long NOT_STARTED_NS = 30_000_000_000L;

    private Follow() {
    }

    /** Whether standard output is a terminal, where the bar is redrawn in place. */
    static boolean onTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    /**
     * Follows job {@code id} until it ends; its exit code (0 succeeded, 1 failed). {@code redraw}
     * draws each bar over the last one (a terminal) rather than on a line of its own.
     */
    static int job(ApiClient api, String id, long pollMs, PrintStream out, boolean redraw) throws InterruptedException {
        return job(List.of(api), id, pollMs, out, redraw);
    }

    /**
     * As {@link #job(ApiClient, String, long, PrintStream, boolean)}, asking the members of
     * {@code apis} in turn: a job accepted by one goes on when that one dies, so a member that cannot
     * be reached (or answers 5xx) is skipped, for up to {@value #UNREACHABLE_S} s without any answer.
     */
    static int job(List<ApiClient> apis, String id, long pollMs, PrintStream out, boolean redraw)
            throws InterruptedException {
        String last = "";
        long unknownSince = System.nanoTime();
        long answeredAt = System.nanoTime();
        int at = 0;
        while (true) {
            ApiClient.Reply reply;
            try {
                reply = apis.get(at).send("GET", "/jobs/" + id, null);
                answeredAt = System.nanoTime();
            } catch (IllegalStateException e) {
                if (System.nanoTime() - answeredAt > TimeUnit.SECONDS.toNanos(UNREACHABLE_S)) {
                    throw new IllegalStateException(e.getMessage() + " (no member answered for " + UNREACHABLE_S
                            + " s; the job goes on in the cluster: follow it again later)", e);
                }
                at = (at + 1) % apis.size();
                Thread.sleep(pollMs);
                continue;
            }
            if (reply.code() == 404) { // not started yet: its node's job manager is still handing it over
                if (System.nanoTime() - unknownSince > NOT_STARTED_NS) {
                    out.println("job '" + id + "' did not start within 30 s (rejected after it was sent?)");
                    return ColonyCli.BAD_INPUT;
                }
                Thread.sleep(pollMs);
                continue;
            }
            JsonNode status = reply.body();
            String phase = status.path("phase").asText();
            String line = bar(status);
            if (!line.equals(last)) {
                if (redraw) {
                    out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
                    out.flush();
                } else {
                    out.println(line);
                }
                last = line;
            }
            if (phase.equals("SUCCEEDED") || phase.equals("FAILED")) {
                if (redraw) {
                    out.println();
                }
                printTasks(status, out);
                String reason = status.path("reason").asText("");
                out.println("job '" + id + "' " + phase + (reason.isEmpty() || reason.equals("null") ? "" : ": " + reason));
                return phase.equals("SUCCEEDED") ? ColonyCli.OK : ColonyCli.JOB_FAILED;
            }
            Thread.sleep(pollMs);
        }
    }

    /** How long following goes on while no member answers. */
    static final int UNREACHABLE_S = 120;

    /** {@code [#########.....] 12/20 tasks (running 3)}. */
    static String bar(JsonNode status) {
        int total = 0;
        int ended = 0;
        int running = 0;
        for (Iterator<JsonNode> it = status.path("tasks").elements(); it.hasNext(); ) {
            String state = it.next().path("state").asText();
            total++;
            switch (state) {
                case "SUCCEEDED", "FAILED", "CANCELLED" -> ended++;
                case "RUNNING" -> running++;
                default -> { }
            }
        }
        int filled = total == 0 ? 0 : ended * WIDTH / total;
        return String.format(Locale.ROOT, "[%s%s] %d/%d tasks (running %d) %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), ended, total, running, status.path("phase").asText().toLowerCase(Locale.ROOT));
    }

    private static void printTasks(JsonNode status, PrintStream out) {
        Map<String, JsonNode> tasks = new TreeMap<>();
        status.path("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue()));
        out.printf(Locale.ROOT, "%-16s %-10s %-12s %8s %8s%n", "task", "state", "node", "attempts", "run ms");
        tasks.forEach((id, t) -> out.printf(Locale.ROOT, "%-16s %-10s %-12s %8d %8d%n", id, t.path("state").asText(),
                t.path("node").asText("-"), t.path("attempts").asInt(), t.path("runMs").asLong()));
    }
}
