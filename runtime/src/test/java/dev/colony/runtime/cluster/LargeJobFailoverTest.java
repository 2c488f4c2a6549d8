package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.colony.actors.job.JobEvent;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.persistence.JournalEntry;
import dev.colony.persistence.JournalReader;
import dev.colony.runtime.Colony;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100,000-task job on three members (two runtimes here and a {@code colony node} process);
 * {@code kill -9} of the process once a fifth of the tasks succeeded: the job ends Succeeded with
 * every task's result journalled once, whichever member hosted the job.
 */
@Tag("postgres")
class LargeJobFailoverTest {

    private static final int TASKS = 100_000;

    @TempDir
    Path dir;

    @Test
    void shouldJournalEveryResultOnceWhenAMemberIsKilledDuringAHundredThousandTaskJob() throws Exception {
        int seed = NodeProcess.freePort();
        NodeProcess victim = null;
        try (Colony first = FailoverMembers.member(dir, "m1", seed, seed, "round-robin")) {
            victim = FailoverMembers.victim(dir, seed, "round-robin");
            try (Colony third = FailoverMembers.member(dir, "m3", NodeProcess.freePort(), seed, "round-robin")) {
                TestProbe<Object> probe = TestProbe.create(first.system());
                FailoverMembers.awaitViews(probe, first, third);
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    tasks.add(TaskSpec.of("t" + i, "noop", Map.of()));
                }
                JobSpec spec = JobSpec.of("large-failover-" + UUID.randomUUID(), tasks);
                CompletionStage<JobResult> result = first.submit(spec);
                probe.awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(200), () -> {
                    JobStatus s = first.progress(spec.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertTrue(s.count(TaskSummary.TaskState.SUCCEEDED) >= TASKS / 5, s.counts() + "");
                    return null;
                });
                victim.process().destroyForcibly(); // SIGKILL
                JobResult r = result.toCompletableFuture().get(300, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
                assertEquals(TASKS, r.outputs().size());
                assertTrue(r.tasks().values().stream().anyMatch(t -> "victim".equals(t.node())),
                        "the killed member had run tasks of the job");
                assertEachResultJournalledOnce(first, spec);
            }
        } finally {
            if (victim != null) {
                victim.process().destroyForcibly();
            }
        }
    }

    private static void assertEachResultJournalledOnce(Colony colony, JobSpec spec) {
        Map<String, Integer> succeeded = new HashMap<>();
        int tasksAdded = 0;
        for (JournalEntry e : new JournalReader(colony.system(), Duration.ofSeconds(60)).events("ColonyJob|" + spec.id())) {
            for (JobEvent event : JobEvent.unbatched((JobEvent) e.event())) {
                if (event instanceof JobEvent.TaskSucceeded s) {
                    succeeded.merge(s.taskId(), 1, Integer::sum);
                } else if (event instanceof JobEvent.TasksAdded a) {
                    tasksAdded += a.tasks().size();
                }
            }
        }
        assertEquals(TASKS - JobEvent.TASKS_PER_EVENT, tasksAdded, "the spec journalled in chunks, the last in Accepted");
        assertEquals(TASKS, succeeded.size());
        var twice = succeeded.entrySet().stream().filter(e -> e.getValue() != 1).limit(5).toList();
        assertTrue(twice.isEmpty(), "journalled more than once: " + twice);
    }
}
