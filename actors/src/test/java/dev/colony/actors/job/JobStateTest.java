package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.colony.actors.output.TaskOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobStateTest {

    private static final JobSpec SPEC = JobSpec.of("j", List.of(TaskSpec.of("a", "noop", Map.of()),
            TaskSpec.of("b", "noop", Map.of()).withDependsOn(List.of("a"))));
    private static final TaskSummary DONE = new TaskSummary(TaskSummary.TaskState.SUCCEEDED, "n1", 1, 0, 3, "p", null, 0, 0);

    @Test
    void shouldApplyEventsWithoutChangingEarlierStates() {
        JobState accepted = JobState.EMPTY.apply(new JobEvent.Accepted(SPEC, 100, 0, "s1"));
        JobState succeeded = accepted.apply(new JobEvent.TaskSucceeded("a", 1, TaskOutput.inline(IntNode.valueOf(7)), DONE));
        // Acceptance releases the roots; a success releases the children it completes.
        assertEquals(TaskSummary.TaskState.RELEASED, accepted.tasks().get("a").state());
        assertEquals(TaskSummary.TaskState.PENDING, accepted.tasks().get("b").state());
        assertEquals(TaskSummary.TaskState.RELEASED, succeeded.tasks().get("b").state());
        assertEquals(2, accepted.unfinished());
        assertEquals(1, succeeded.unfinished());
        assertEquals(IntNode.valueOf(7), succeeded.outputs().get("a").value());
        assertNotSame(accepted.tasks(), succeeded.tasks());
    }

    @Test
    void shouldCancelUnfinishedTasksWhenJobFails() {
        JobState s = JobState.EMPTY.apply(new JobEvent.Accepted(SPEC, 1, 0, "s1")).apply(new JobEvent.Failed("boom", 9));
        assertEquals(JobStatus.Phase.FAILED, s.phase());
        assertEquals(TaskSummary.TaskState.CANCELLED, s.tasks().get("a").state());
        assertEquals(TaskSummary.TaskState.CANCELLED, s.tasks().get("b").state());
        assertEquals(JobResult.Outcome.FAILED, s.result().outcome());
        assertEquals("boom", s.result().reason());
        assertEquals(8, s.result().elapsedMs());
    }
}
