package dev.colony.runtime.recovery;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.Submission;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded H2 node in its own JVM for {@link DurableAnswersTest}: submits jobs one after
 * another and prints each answer the moment {@code Colony} gives it, so that the test can
 * {@code kill -9} it right then. Mode {@code accept}: "ACCEPTED id" when a (long) job's acceptance
 * is confirmed; mode {@code succeed}: "SUCCEEDED id" when a (short) job's result is.
 *
 * <p>Arguments: data-dir mode prefix.
 */
public final class AnswerNode {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        boolean accept = args[1].equals("accept");
        String prefix = args[2];
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { cpus = 2, memory = 2GiB }
                """.formatted(dataDir.toString().replace('\\', '/'))));
        try (Colony colony = Colony.start(settings)) {
            for (int i = 0; ; i++) {
                String id = prefix + i;
                JobSpec job = JobSpec.of(id, List.of(TaskSpec.of("t", accept ? "spin" : "noop",
                        accept ? Map.of("work", 60_000) : Map.of())));
                Submission s = colony.accept(job).toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (accept) {
                    System.out.println("ACCEPTED " + id + " " + s.admission().verdict());
                } else {
                    JobResult r = s.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    System.out.println(r.outcome() + " " + id);
                }
                System.out.flush();
            }
        }
    }
}
