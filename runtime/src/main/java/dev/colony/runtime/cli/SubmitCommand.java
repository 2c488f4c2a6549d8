package dev.colony.runtime.cli;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.JobSpecReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code colony submit job.json}: reads a job from JSON, runs it on an embedded node and prints the
 * result. The spec goes through the same validation as {@code Colony.submit}.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Run the job in FILE (JSON) on an embedded node and print its result.")
final class SubmitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Job spec in JSON.")
    Path file;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() {
        JobSpec spec = JobSpecReader.read(file);
        try (Colony colony = Colony.start(config.settings())) {
            JobResult result = colony.submit(spec).toCompletableFuture().join();
            ResultPrinter.print(System.out, spec, result);
            return ResultPrinter.exitCode(result);
        }
    }
}
