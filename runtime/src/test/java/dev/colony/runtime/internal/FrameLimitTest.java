package dev.colony.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FrameLimitTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** {@code n} tasks with random names, which gzip cannot shrink much. */
    static Job.Start start(int n) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TaskSpec.of(UUID.randomUUID().toString(), "noop", Map.of()));
        }
        return new Job.Start(JobSpec.of("j", tasks), KIT.<JobResult>createTestProbe().getRef(), 0, "s");
    }

    @Test
    void shouldRejectAStartOverAQuarterOfTheFrameOnlyWhenOtherMembersExist() {
        var serialization = SerializationExtension.get(KIT.system().classicSystem());
        var cluster = new FrameLimit(serialization, 256 * 1024, () -> 3);
        assertNull(cluster.tooLarge(start(200)));
        String why = cluster.tooLarge(start(5_000));
        assertTrue(why != null && why.startsWith("job 'j' is too large to send between cluster members: its spec takes ")
                && why.contains("more than the 65536 a job may take") && why.endsWith("split it into smaller jobs"), why);
        assertNull(new FrameLimit(serialization, 256 * 1024, () -> 1).tooLarge(start(5_000)), "a job entity here");
    }
}
