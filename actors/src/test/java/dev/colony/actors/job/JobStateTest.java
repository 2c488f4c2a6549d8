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

    /** A large spec is journalled in chunks of TASKS_PER_EVENT tasks, Accepted last; replayed, it is the whole job. */
    @Test
    void shouldJournalALargeSpecInChunksAndReplayItWhole() {
        List<TaskSpec> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            TaskSpec t = TaskSpec.of("t" + i, "noop", Map.of());
            tasks.add(i == 2_499 ? t.withDependsOn(List.of("t0")) : t); // its parent lies in the first chunk
        }
        List<JobEvent> events = JobEvent.accepted(JobSpec.of("big", tasks), 5, 2, "s1");
        assertEquals(3, events.size());
        assertEquals(List.of(1_000, 1_000), events.subList(0, 2).stream().map(e -> ((JobEvent.TasksAdded) e).tasks()
                .size()).toList());
        assertEquals(500, ((JobEvent.Accepted) events.get(2)).spec().tasks().size());
        JobState s = JobState.EMPTY;
        for (JobEvent e : events) {
            s = s.apply(e);
        }
        assertEquals(JobStatus.Phase.RUNNING, s.phase());
        assertEquals(tasks, s.spec().tasks());
        assertEquals(2_500, s.unfinished());
        assertEquals(TaskSummary.TaskState.PENDING, s.tasks().get("t2499").state());
        s = s.apply(new JobEvent.TaskSucceeded("t0", 1, TaskOutput.inline(IntNode.valueOf(1)), DONE));
        assertEquals(TaskSummary.TaskState.RELEASED, s.tasks().get("t2499").state(), "released by its parent");
        assertEquals(List.of(new JobEvent.Accepted(SPEC, 5, 2, "s1")), JobEvent.accepted(SPEC, 5, 2, "s1"), "small: one event");
    }

    /** The parts of a Start, in any order and sent twice, make one whole Start. */
    @Test
    void shouldPutAStartTogetherFromItsParts() {
        var uploads = new StartUploads();
        var header = new Job.Start(JobSpec.of("j", List.of()), null, 3, "s1", null, 2);
        List<TaskSpec> a = List.of(TaskSpec.of("a", "noop", Map.of()));
        List<TaskSpec> b = List.of(TaskSpec.of("b", "noop", Map.of()));
        assertEquals(null, uploads.part(new Job.StartPart("s1", 1, b)));
        assertEquals(null, uploads.part(new Job.StartPart("s1", 1, b)));
        assertEquals(null, uploads.start(header));
        Job.Start whole = uploads.part(new Job.StartPart("s1", 0, a));
        assertEquals(List.of("a", "b"), whole.spec().tasks().stream().map(TaskSpec::id).toList());
        assertEquals(0, whole.parts());
        assertEquals(3, whole.policyVersion());
        assertEquals(true, uploads.isEmpty());
    }

    /** A 100,000-task status reads in pages: in spec order, by state, with counts on page 0. */
    @Test
    void shouldPageTheStatusOfAHundredThousandTasks() {
        List<TaskSpec> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            tasks.add(TaskSpec.of("t" + i, "noop", Map.of()).withDependsOn(i % 2 == 1 ? List.of("t" + (i - 1)) : List.of()));
        }
        JobState s = JobState.EMPTY;
        for (JobEvent e : JobEvent.accepted(JobSpec.of("big", tasks), 1, 0, "s1")) {
            s = s.apply(e);
        }
        JobStatus last = JobStatuses.page("big", s, null, 99, 1_000);
        assertEquals(1_000, last.tasks().size());
        assertEquals("t99000", last.tasks().keySet().iterator().next());
        assertEquals(new JobStatus.Page(null, 99, 1_000, 100_000), last.page());
        assertEquals(100, last.page().pages());
        assertEquals(null, last.counts(), "counts on page 0 only");
        JobStatus pending = JobStatuses.page("big", s, TaskSummary.TaskState.PENDING, 2, 10);
        assertEquals(List.of("t41", "t43", "t45", "t47", "t49", "t51", "t53", "t55", "t57", "t59"),
                List.copyOf(pending.tasks().keySet()));
        assertEquals(50_000, pending.page().matching());
        JobStatus first = JobStatuses.page("big", s, TaskSummary.TaskState.RELEASED, 0, 5);
        assertEquals(50_000L, first.counts().get(TaskSummary.TaskState.RELEASED));
        assertEquals(50_000L, first.counts().get(TaskSummary.TaskState.PENDING));
        assertEquals(0, JobStatuses.page("big", s, null, 100, 1_000).tasks().size(), "past the end: an empty page");
    }
}
