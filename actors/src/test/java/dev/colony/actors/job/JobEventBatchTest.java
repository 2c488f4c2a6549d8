package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.colony.actors.output.TaskOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A batch of job events: one journal row that replays as its events, through the journal's serializer. */
class JobEventBatchTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final JobSpec SPEC = JobSpec.of("j", List.of(TaskSpec.of("a", "noop", Map.of()),
            TaskSpec.of("b", "noop", Map.of()), TaskSpec.of("c", "noop", Map.of()).withDependsOn(List.of("a", "b"))));
    private static final TaskSummary DONE = new TaskSummary(TaskSummary.TaskState.SUCCEEDED, "n1", 1, 0, 3, "p", null, 0, 0);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static List<JobEvent> everyKind() {
        return List.of(new JobEvent.AttemptStarted("b", 1, "n1", 2, "least-loaded", 10),
                new JobEvent.TaskSucceeded("a", 1, TaskOutput.inline(IntNode.valueOf(7)), DONE),
                new JobEvent.AttemptEnded("b", 1, "n1", "withdrawn", 0, false),
                new JobEvent.AttemptReserved("b", 2),
                new JobEvent.OutputsLost("c", List.of(), "node n2 left"),
                new JobEvent.TaskFailed("b", DONE.withState(TaskSummary.TaskState.FAILED)),
                new JobEvent.Failed("task 'b' failed", 20));
    }

    @Test
    void shouldReplayAsItsEventsOneByOne() {
        JobState accepted = JobState.EMPTY.apply(new JobEvent.Accepted(SPEC, 1, 0, "s"));
        JobState oneByOne = accepted;
        for (JobEvent e : everyKind()) {
            oneByOne = oneByOne.apply(e);
        }
        List<JobEvent> journalled = JobEvent.batched(everyKind());
        assertEquals(1, journalled.size());
        JobState batched = accepted.apply(journalled.getFirst());
        assertEquals(oneByOne.tasks(), batched.tasks());
        assertEquals(oneByOne.outputs(), batched.outputs());
        assertEquals(JobStatus.Phase.FAILED, batched.phase());
        assertEquals(oneByOne.lastAttempt("b"), batched.lastAttempt("b"));
        assertEquals(everyKind(), JobEvent.unbatched(journalled.getFirst()));
        // one event is journalled as itself
        var single = List.<JobEvent>of(new JobEvent.Succeeded(5));
        assertEquals(single, JobEvent.batched(single));
    }

    @Test
    void shouldSurviveTheJournalsSerializerWithEveryKindOfEvent() {
        Serialization serialization = SerializationExtension.get(KIT.system());
        JobEvent batch = new JobEvent.Batch(everyKind());
        byte[] bytes = serialization.serialize(batch).get();
        var serializer = serialization.findSerializerFor(batch);
        assertTrue(serializer.getClass().getName().contains("Jackson"), serializer.getClass().getName());
        Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, batch))
                .get();
        assertEquals(batch, back);
    }

    @Test
    void shouldRefuseAnEmptyOrNestedBatch() {
        assertThrows(IllegalArgumentException.class, () -> new JobEvent.Batch(List.of()));
        var nested = assertThrows(IllegalArgumentException.class, () -> new JobEvent.Batch(List.of(
                new JobEvent.Batch(List.of(new JobEvent.Succeeded(1))))));
        assertTrue(nested.getMessage().contains("Batch"), nested.getMessage());
    }
}
