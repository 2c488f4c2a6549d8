package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import dev.colony.actors.monitor.Feedback;
import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.policy.PolicyGenome;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The learner's state: what each event changes, and that it survives the journal's serializer. */
class LearnerStateTest {

    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    static JobRecord job(String id, long version, boolean succeeded, long elapsedMs) {
        return new JobRecord(id, version, succeeded ? "succeeded" : "failed", 1_000, 1_000 + elapsedMs, List.of(
                new JobRecord.TaskRecord("a", "spin", 10, List.of(), "n1", 10, 0, 0),
                new JobRecord.TaskRecord("b", "spin", 30, List.of("a"), "n1", 30, 0, 0)));
    }

    private static Feedback batch(JobRecord... jobs) {
        var attempt = new Feedback.AttemptRecord("j", "a", "spin", 10, "n1", 1, 0, 10, 0, 0, "succeeded", 5, 0, null,
                0);
        return new Feedback("n1", List.of(attempt), List.of(), List.of(jobs), 0);
    }

    private static LearnerState afterTrial() {
        var s = LearnerState.initial(1);
        s = s.apply(new LearnerEvent.Searched(10, List.of(3.0, 2.0), PolicyGenome.EARLIEST_FINISH, 2.0, 3.0, 4, 9), 2);
        s = s.apply(new LearnerEvent.CanaryStarted(1, PolicyGenome.EARLIEST_FINISH, 0.5, 2.0, 3.0, "why", 10), 2);
        return s.apply(new LearnerEvent.FeedbackApplied(batch(job("c1", 1, true, 80), job("i1", 0, true, 40),
                job("c2", 1, false, 10), job("old", 7, true, 40))), 2);
    }

    @Test
    void shouldLearnFromFeedbackAndCompareTheCanaryWithTheIncumbent() {
        LearnerState s = afterTrial();
        assertEquals(2, s.generation());
        assertEquals(List.of(3.0, 2.0), s.progress());
        assertEquals(3, s.jobsSinceSearch()); // succeeded jobs since the search
        assertEquals(List.of("i1", "old"), s.recent().stream().map(JobRecord::jobId).toList()); // window 2
        // spin at speed 1: 1 ms per unit of work, so a job of work 40 that took 80 ms has slowdown 2
        assertEquals(List.of(2.0), s.trial().canary());
        assertEquals(List.of(1.0), s.trial().incumbent());
        assertEquals(1, s.trial().canaryFailed());
        assertEquals(1, s.deployment().canary());
        var ended = s.apply(new LearnerEvent.CanaryEnded(1, true, null, "better", 20), 2);
        assertEquals(1, ended.deployment().incumbent());
        assertTrue(!ended.deployment().hasCanary());
        assertEquals("promoted", ended.history().getLast().status());
        assertEquals("why; better", ended.history().getLast().reason());
    }

    /** The state keeps what a search replays and no more: its snapshots stay small. */
    @Test
    void shouldKeepTheLatestJobsUpToTheReplayedTasks() {
        var s = LearnerState.initial(1).apply(new LearnerEvent.FeedbackApplied(batch(job("a", 0, true, 40),
                job("b", 0, true, 40), job("c", 0, true, 40))), 10, 4); // two tasks each
        assertEquals(List.of("b", "c"), s.recent().stream().map(JobRecord::jobId).toList());
        assertEquals(3, s.jobsSinceSearch(), "every succeeded job counts towards the next search");
        s = s.apply(new LearnerEvent.FeedbackApplied(batch(job("d", 0, true, 40))), 10, 1);
        assertEquals(List.of("d"), s.recent().stream().map(JobRecord::jobId).toList(), "the latest job always");
    }

    @Test
    void shouldSurviveTheJournalsSerializer() throws Exception {
        Serialization serialization = SerializationExtension.get(KIT.system());
        LearnerState s = afterTrial();
        byte[] bytes = serialization.serialize(s).get();
        var serializer = serialization.findSerializerFor(s);
        String manifest = akka.serialization.Serializers.manifestFor(serializer, s);
        Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        assertEquals(s, back);
        assertTrue(serializer.getClass().getName().contains("Jackson"), serializer.getClass().getName());
    }
}
