package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
        String last = "";
        long unknownSince = System.nanoTime();
        while (true) {
            var reply = api.send("GET", "/jobs/" + id, null);
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
