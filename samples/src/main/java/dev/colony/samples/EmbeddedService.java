package dev.colony.samples;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Colony embedded in a plain Java program: fans {@code monte-carlo-pi} tasks out over the node's
 * cores and averages them with a {@code sum} task whose inputs are their outputs.
 *
 * <pre>
 * ./mvnw -q -pl samples -am package -DskipTests
 * java -cp "samples/target/classes:runtime/target/classes:runtime/target/lib/*" dev.colony.samples.EmbeddedService 8
 * </pre>
 */
public final class EmbeddedService {

    private EmbeddedService() {
    }

    /** Builds the fan-out/reduce job: {@code parts} estimators and one task adding their values. */
    public static JobSpec piJob(String id, int parts, long samplesEach) {
        List<TaskSpec> tasks = new ArrayList<>();
        Map<String, String> inputs = new HashMap<>();
        for (int i = 0; i < parts; i++) {
            tasks.add(TaskSpec.of("pi-" + i, "monte-carlo-pi", Map.of("samples", samplesEach, "seed", i + 1)));
            inputs.put("part-" + i, "pi-" + i);
        }
        tasks.add(TaskSpec.of("total", "sum", Map.of()).withInputs(inputs));
        return JobSpec.of(id, tasks);
    }

    /** Runs the job and prints the estimate; argument: number of parts (default 4). */
    public static void main(String[] args) {
        int parts = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        try (Colony colony = Colony.start(ColonySettings.load())) {
            JobResult r = colony.submit(piJob("pi", parts, 2_000_000)).toCompletableFuture().join();
            if (!r.succeeded()) {
                System.err.println("job " + r.outcome() + ": " + r.reason());
                System.exit(1);
            }
            double pi = r.outputs().get("total").asDouble() / parts;
            System.out.printf("pi ~ %.6f from %d tasks in %d ms%n", pi, parts, r.elapsedMs());
        }
    }
}
