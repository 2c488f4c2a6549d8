package dev.colony.runtime.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * An embedded node in its own JVM, for the crash tests: starts Colony on a data directory, submits
 * the test DAG unless the journal already has the job (then it only waits for it), and writes the
 * job's outcome and outputs to a file.
 *
 * <p>Arguments: data-dir journal(h2|postgres) job-id result-file.
 */
public final class CrashNode {

    /** Layers of the test DAG, each depending on every task of the previous one. */
    static final int LAYERS = 4;
    static final int WIDTH = 3;

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String journal = args[1];
        String jobId = args[2];
        Path resultFile = Path.of(args[3]);
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = %s, data-dir = "%s", outputs.inline-limit = 64 }
                colony.jobs.snapshot-every = 4
                colony.node { cpus = 2, memory = 2GiB }
                colony.kernels.classes = ["dev.colony.runtime.recovery.RecordingKernel"]
                colony.task.backoff-min = 1ms
                """.formatted(journal, dataDir.toString().replace('\\', '/'))));
        try (Colony colony = Colony.start(settings)) {
            JobStatus status = colony.status(jobId).toCompletableFuture().get(30, TimeUnit.SECONDS);
            System.out.println("job " + jobId + " is " + status.phase());
            var pending = status.phase() == JobStatus.Phase.UNKNOWN ? colony.submit(dag(jobId)) : colony.result(jobId);
            JobResult result = pending.toCompletableFuture().get(120, TimeUnit.SECONDS);
            Map<String, JsonNode> outputs = new TreeMap<>(result.outputs());
            Files.writeString(resultFile, result.outcome() + " " + result.reason() + "\n" + outputs + "\n");
            System.out.println("RESULT " + result.outcome());
        }
        System.exit(0);
    }

    /** LAYERS x WIDTH tasks of 400 ms, each fed by every task of the layer before, then a sink. */
    static JobSpec dag(String jobId) {
        List<TaskSpec> tasks = new ArrayList<>();
        List<String> previous = List.of();
        for (int layer = 0; layer < LAYERS; layer++) {
            List<String> current = new ArrayList<>();
            for (int i = 0; i < WIDTH; i++) {
                String id = "t" + layer + i;
                Map<String, String> inputs = new LinkedHashMap<>();
                previous.forEach(p -> inputs.put(p, p));
                tasks.add(TaskSpec.of(id, "record", Map.of("ms", 400, "value", 10 * layer + i)).withInputs(inputs));
                current.add(id);
            }
            previous = current;
        }
        Map<String, String> last = new LinkedHashMap<>();
        previous.forEach(p -> last.put(p, p));
        tasks.add(TaskSpec.of("sink", "record", Map.of("ms", 10, "value", 0)).withInputs(last));
        return JobSpec.of(jobId, tasks);
    }
}
