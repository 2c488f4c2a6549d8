package dev.colony.runtime.cli;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.JobSpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colony submit job.json}: reads a job from JSON, runs it on an embedded node and prints the
 * result; with {@code --url}, sends it to a running node's HTTP API instead, and with
 * {@code --follow} shows its progress there ({@link Follow}). The spec goes through the same
 * validation as {@code Colony.submit}.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Run the job in FILE (JSON) on an embedded node and print its result, or with --url submit it "
                + "to a running node.")
final class SubmitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Job spec in JSON.")
    Path file;

    @Option(names = "--url", paramLabel = "URL", split = ",",
            description = "Submit to a running node's HTTP API (e.g. http://127.0.0.1:8080; token: COLONY_HTTP_TOKEN) "
                    + "instead of an embedded node. Several (comma-separated or repeated): members of one cluster, "
                    + "tried in turn when one cannot be reached, while submitting and following.")
    List<String> urls;

    @Option(names = "--follow", description = "With --url: show the job's progress until it ends, then where each "
            + "task ran (exit 0 succeeded, 1 failed).")
    boolean follow;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws Exception {
        if (urls != null && !urls.isEmpty()) {
            return remote(JobSpecReader.read(file)); // the node applies its own limits too
        }
        if (follow) {
            throw new IllegalArgumentException("--follow needs --url (without it the job runs here to its end)");
        }
        ColonySettings settings = config.settings();
        JobSpec spec = JobSpecReader.read(file, settings.jobs().json());
        try (Colony colony = Colony.start(settings)) {
            JobResult result = colony.submit(spec).toCompletableFuture().join();
            ResultPrinter.print(System.out, spec, result);
            return ResultPrinter.exitCode(result);
        }
    }

    /**
     * Sends the file's JSON to the first node of {@code --url} that answers; follows the job if
     * asked. A 202 means the job is journalled: it ends whatever happens to that node.
     */
    private int remote(JobSpec spec) throws Exception {
        List<ApiClient> apis = urls.stream().map(ApiClient::of).toList();
        String body = Files.readString(file);
        ApiClient.Reply reply = null;
        for (int i = 0; reply == null; i++) {
            try {
                reply = apis.get(i).send("POST", "/jobs", body);
            } catch (IllegalStateException e) {
                if (i == apis.size() - 1) {
                    throw e;
                }
                System.err.println("colony: " + e.getMessage() + "; trying " + urls.get(i + 1));
            }
        }
        if (reply.code() != 202) {
            System.err.println("colony: " + reply.error());
            return ColonyCli.BAD_INPUT;
        }
        System.out.println("submitted job '" + spec.id() + "' (" + reply.body().path("status").asText() + ")");
        return follow ? Follow.job(apis, spec.id(), 500, System.out, Follow.onTerminal()) : ColonyCli.OK;
    }
}
