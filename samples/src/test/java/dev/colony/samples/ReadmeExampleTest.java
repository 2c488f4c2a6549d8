package dev.colony.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's embedding example, verbatim, so it keeps compiling and doing what it says. */
class ReadmeExampleTest {

    @Test
    void shouldRunTheReadmeEmbeddingExample() {
        try (Colony colony = Colony.start(ColonySettings.load())) {
            JobSpec job = JobSpec.of("hello", List.of(
                TaskSpec.of("a", "spin", Map.of("work", 50)),
                TaskSpec.of("b", "sum", Map.of("values", List.of(1, 2))).withDependsOn(List.of("a"))));
            JobResult result = colony.submit(job).toCompletableFuture().join();
            System.out.println(result.outcome() + " " + result.outputs().get("b"));   // SUCCEEDED 3.0
            assertEquals(JobResult.Outcome.SUCCEEDED, result.outcome());
            assertEquals(3.0, result.outputs().get("b").asDouble());
        }
    }
}
