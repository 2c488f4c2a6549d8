package dev.colony.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code colony cancel ID --url URL}: cancels a job through a running node's HTTP API. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel job ID on a running node (its HTTP API at --url); the job ends Failed.")
final class CancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The node's HTTP API, e.g. http://127.0.0.1:8080 (token: COLONY_HTTP_TOKEN).")
    String url;

    @Override
    public Integer call() {
        var reply = ApiClient.of(url).send("DELETE", "/jobs/" + id, null);
        if (reply.code() != 202) {
            System.err.println("colony: " + reply.error());
            return ColonyCli.BAD_INPUT;
        }
        System.out.println(reply.body().path("cancelled").asBoolean() ? "job '" + id + "' cancelled"
                : "job '" + id + "' had already ended");
        return ColonyCli.OK;
    }
}
