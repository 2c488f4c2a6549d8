package dev.colony.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.monitor.JobRecord;
import dev.colony.runtime.Colony;
import dev.colony.runtime.recovery.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large jobs between members. Artery drops a message larger than its 256 KiB frame; a job's Start
 * carries its whole spec, its result one summary per task, and the learner (a singleton on the
 * oldest member) gets each ended job's record from the monitor where the job ended. Colony gzips
 * CBOR over 32 KiB, and cuts reliable-delivery messages that are still too large into chunks.
 */
@Tag("postgres")
class LearnerFeedbackTest {

    private static final int FRAME = 256 * 1024;

    @TempDir
    Path dir;

    private Colony node(String name, int port, List<String> seeds) {
        return Members.start(dir, name, 1, port, seeds, PostgresServer.journalConfig()
                + "\ncolony.learner { evolve-after-jobs = 1000000, max-job-tasks = 10000 }\n");
    }

    private static JobSpec noops(String id, int n) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TaskSpec.of("a-task-with-a-longer-name-" + i, "noop", Map.of()));
        }
        return JobSpec.of(id, tasks);
    }

    /** Jobs the learner has recorded since its last search (it never searches here). */
    private static int recorded(Colony colony) throws Exception {
        return colony.learner().toCompletableFuture().get(10, TimeUnit.SECONDS).state().jobsSinceSearch();
    }

    @Test
    void shouldRunLargeJobsSubmittedOnAnotherMemberAndRecordThem() throws Exception {
        int port = NodeProcess.freePort();
        try (Colony first = node("f1", port, List.of());
             Colony second = node("f2", NodeProcess.freePort(), List.of("127.0.0.1:" + port))) {
            TestProbe.create(first.system()).awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals(2, second.nodes().size());
                return null;
            });
            int before = recorded(first); // the learner's journal is shared with other tests
            // Jobs land on both members' shards (the coordinator places new shards on the region with fewest), so
            // some Starts and results cross between the members, and some records reach the learner from f2.
            Map<JobSpec, CompletableFuture<JobResult>> jobs = new LinkedHashMap<>();
            for (int j = 0; j < 4; j++) {
                JobSpec spec = noops("large-" + j + "-" + UUID.randomUUID(), 2_500);
                jobs.put(spec, second.submit(spec).toCompletableFuture());
            }
            for (var e : jobs.entrySet()) {
                JobResult r = e.getValue().get(120, TimeUnit.SECONDS);
                assertTrue(r.succeeded(), r.reason());
            }
            var some = jobs.entrySet().iterator().next();
            var cbor = JacksonObjectMapperProvider.get(first.system().classicSystem()).getOrCreate("jackson-cbor",
                    Optional.empty());
            for (Object message : List.of(some.getKey(), some.getValue().join(),
                    JobRecord.of(some.getKey(), some.getValue().join(), 0, t -> 1))) {
                int bytes = cbor.writeValueAsBytes(message).length;
                assertTrue(bytes > FRAME, message.getClass().getSimpleName() + " of " + bytes + " bytes of plain CBOR "
                        + "fits Artery's frame: the test needs larger jobs");
            }
            TestProbe.create(first.system()).awaitAssert(Duration.ofSeconds(60), () -> {
                assertEquals(before + jobs.size(), recorded(first),
                        "every job's record reached the learner, whichever member it ended on");
                return null;
            });
        }
    }
}
