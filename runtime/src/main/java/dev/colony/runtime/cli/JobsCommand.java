package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code colony jobs --url URL}: the latest jobs of the cluster, through a running node's HTTP API. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List the latest jobs, newest first, with their progress (a running node's HTTP API at --url).")
final class JobsCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The node's HTTP API, e.g. http://127.0.0.1:8080 (token: COLONY_HTTP_TOKEN).")
    String url;

    @Option(names = "--phase", paramLabel = "PHASE",
            description = "Only jobs in this phase: running, succeeded or failed.")
    String phase;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most this many jobs, 1..1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        String query = "?limit=" + limit + (phase == null ? "" : "&phase=" + URLEncoder.encode(phase,
                StandardCharsets.UTF_8));
        var reply = ApiClient.of(url).send("GET", "/jobs" + query, null);
        if (reply.code() != 200) {
            System.err.println("colony: " + reply.error());
            return ColonyCli.BAD_INPUT;
        }
        print(reply.body(), System.out);
        return ColonyCli.OK;
    }

    /** One line per job, then the counts. */
    static void print(JsonNode listing, PrintStream out) {
        out.printf(Locale.ROOT, "%-24s %-10s %13s  %-20s %10s  %s%n", "job", "phase", "tasks done", "accepted",
                "took", "reason");
        for (JsonNode j : listing.path("jobs")) {
            long accepted = j.path("acceptedAtMs").asLong();
            long finished = j.path("finishedAtMs").asLong();
            String done = j.path("done").isNumber() ? j.path("done").asText() : "?";
            out.printf(Locale.ROOT, "%-24s %-10s %13s  %-20s %10s  %s%n", j.path("id").asText(),
                    j.path("phase").asText(), done + "/" + j.path("tasks").asInt(),
                    Instant.ofEpochMilli(accepted).toString().substring(0, 19).replace('T', ' '),
                    finished > 0 ? String.format(Locale.ROOT, "%.1f s", (finished - accepted) / 1000.0) : "running",
                    j.path("reason").isTextual() ? j.path("reason").asText() : "");
        }
        out.printf("%d running, %d succeeded, %d failed (the list keeps every running job and the latest ended ones)%n",
                listing.path("running").asLong(), listing.path("succeeded").asLong(), listing.path("failed").asLong());
    }
}
