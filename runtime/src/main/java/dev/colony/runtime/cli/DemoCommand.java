package dev.colony.runtime.cli;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.JobSpecReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code colony demo}: runs a small DAG of gemm, spin and sum tasks on an embedded node. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded node, run a small DAG job (gemm, spin, sum) and print where and how long each task ran.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws IOException {
        JobSpec template;
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo-job.json")) {
            template = JobSpecReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo-job.json");
        }
        JobSpec spec = new JobSpec("demo-" + System.currentTimeMillis(), template.tasks(), template.priority(),
                template.labels());
        var out = System.out;
        try (Colony colony = Colony.start(config.settings())) {
            out.println("Colony started: " + colony.nodes().size() + " node(s): " + ResultPrinter.nodes(colony.nodes())
                    + "; policy " + colony.settings().policy());
            out.println("Submitting job '" + spec.id() + "' with " + spec.tasks().size() + " tasks...");
            JobResult result = colony.submit(spec).toCompletableFuture().join();
            ResultPrinter.print(out, spec, result);
            return ResultPrinter.exitCode(result);
        }
    }
}
