package dev.colony.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FramePartsTest {

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
    void shouldCutAStartOverAQuarterOfTheFrameIntoPartsOnlyWhenOtherMembersExist() {
        var serialization = SerializationExtension.get(KIT.system().classicSystem());
        var cluster = new FrameParts(serialization, 256 * 1024, () -> 3);
        assertEquals(1, cluster.split(start(200)).size());
        Job.Start large = start(5_000);
        List<List<TaskSpec>> parts = cluster.split(large);
        assertTrue(parts.size() > 2, "5,000 tasks of random names take over 64 KiB: " + parts.size() + " part(s)");
        List<TaskSpec> joined = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            long bytes = serialization.serialize(new Job.StartPart("s", i, parts.get(i))).get().length;
            assertTrue(bytes <= 64 * 1024, "part " + i + " takes " + bytes + " bytes");
            joined.addAll(parts.get(i));
        }
        assertEquals(large.spec().tasks(), joined, "every task once, in order");
        assertEquals(1, new FrameParts(serialization, 256 * 1024, () -> 1).split(large).size(), "a job entity here");
    }

    @Test
    void shouldNameATaskTooLargeToTravelAlone() {
        var serialization = SerializationExtension.get(KIT.system().classicSystem());
        var random = new SplittableRandom(7);
        StringBuilder noise = new StringBuilder();
        while (noise.length() < 400_000) {
            noise.append(Long.toString(random.nextLong(), 36));
        }
        var start = new Job.Start(JobSpec.of("j", List.of(TaskSpec.of("small", "noop", Map.of()),
                TaskSpec.of("huge", "noop", Map.of("blob", noise.toString())))),
                KIT.<JobResult>createTestProbe().getRef(), 0, "s");
        var e = assertThrows(IllegalArgumentException.class, () -> new FrameParts(serialization, 256 * 1024, () -> 2)
                .split(start));
        assertTrue(e.getMessage().startsWith("task 'huge' of job 'j' takes ") && e.getMessage().contains(
                "more than the 65536 one message between cluster members may carry"), e.getMessage());
    }
}
