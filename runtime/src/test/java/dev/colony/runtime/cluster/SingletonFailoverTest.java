package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.learner.LearnerView;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner is a cluster singleton on the oldest member: {@code kill -9} of that member's
 * process moves it to another member, where it resumes from the shared journal (same generation,
 * deployment and history).
 */
@Tag("postgres")
class SingletonFailoverTest {

    private static final List<String> SETTINGS = List.of("akka.cluster.split-brain-resolver.stable-after=3s",
            "colony.jobs.redeliver-every=2s", "colony.learner.evolve-after-jobs=6", "colony.learner.min-improvement=0",
            "colony.learner.canary.slice=0.5", "colony.learner.canary.min-jobs=1000",
            "colony.learner.canary.max-jobs=1000", "colony.learner.publish-every=200ms",
            // a search must end within the test's short burst of jobs, which keep the machine busy
            "colony.learner.search-nice=0", "colony.learner.search-share=1");

    @TempDir
    Path dir;

    private Colony member(String name, int seed) {
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(PostgresServer.journalConfig() + """

                colony.persistence.data-dir = "%s"
                colony.node { name = %s, cpus = 1, memory = 1GiB }
                colony.seed-nodes = ["127.0.0.1:%d"]
                colony.start-timeout = 90s
                colony.placement.policy = round-robin
                %s
                """.formatted(dir.resolve(name).toString().replace('\\', '/'), name, seed,
                String.join("\n", SETTINGS)))));
    }

    @Test
    void shouldMoveTheLearnerWhenItsMemberIsKilledAndResumeFromTheJournal() throws Exception {
        String url = PostgresServer.url();
        try (Connection c = PostgresServer.connect(url)) { // a learner of its own, not one earlier tests left
            c.createStatement().executeUpdate("DELETE FROM event_journal WHERE persistence_id = 'colony-learner'");
            c.createStatement().executeUpdate("DELETE FROM snapshot WHERE persistence_id = 'colony-learner'");
        }
        int seed = NodeProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--name", "oldest", "--port", String.valueOf(seed), "--cpus", "1",
                "--memory", "1g", "--data-dir", dir.resolve("oldest").toString(), "--policy", "round-robin"));
        SETTINGS.forEach(s -> args.addAll(List.of("--set", s)));
        NodeProcess oldest = NodeProcess.start(dir.resolve("oldest.out"), args.toArray(String[]::new));
        try (Colony second = member("second", seed); Colony third = member("third", seed)) {
            TestProbe<Object> probe = TestProbe.create(second.system());
            int jobs = 0;
            while (!second.deployment().hasCanary()) {
                assertTrue(jobs < 60, "no candidate on trial within 60 jobs: " + oldest.output());
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", 20 + 10 * i)));
                }
                var r = second.submit(JobSpec.of("learn-" + UUID.randomUUID(), tasks)).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                jobs++;
            }
            LearnerView before = second.learner().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(before.state().generation() > 0);
            oldest.process().destroyForcibly(); // kill -9 the learner's member
            probe.awaitAssert(Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
                LearnerView after = third.learner().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(before.state().generation(), after.state().generation());
                assertEquals(before.state().deployment(), after.state().deployment());
                assertEquals(before.state().history(), after.state().history());
                return null;
            });
        } finally {
            oldest.process().destroyForcibly();
        }
    }
}
