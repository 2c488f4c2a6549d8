package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Lineage re-execution in the job entity: lost outputs are made again by their producers, then read. */
class JobLineageTest {

    static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
            akka.actor.serialize-messages = on
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
            """).withFallback(ConfigFactory.load()));

    /** a → b (b reads a's output as x); c is independent. */
    static final JobSpec SPEC = JobSpec.of("lineage", List.of(TaskSpec.of("a", "noop", Map.of()),
            TaskSpec.of("b", "noop", Map.of()).withInputs(Map.of("x", "a")), TaskSpec.of("c", "noop", Map.of())));

    final TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
    final TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void shouldRunAProducerAgainWhenItsOutputIsLostThenItsReader() {
        var job = start("lineage-1", 3);
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0));
        assertEquals(output("n9/a/1.tensor"), execute("b").inputs().get("x"));

        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n9/a/1.tensor"), "input 'x': node gone"));
        Task.Execute again = execute("a");
        assertEquals(1, again.reruns());
        JobStatus s = status(job);
        assertEquals(TaskSummary.TaskState.RELEASED, s.tasks().get("a").state());
        assertEquals(1, s.tasks().get("a").reruns());
        assertEquals("input 'x': node gone", s.tasks().get("a").error());
        assertEquals(TaskSummary.TaskState.PENDING, s.tasks().get("b").state());
        TestProbe<JobStatus> small = KIT.createTestProbe(JobStatus.class);
        job.tell(new Job.GetStatus(small.getRef(), true)); // what the job list asks: no tasks
        JobStatus phaseOnly = small.receiveMessage();
        assertEquals(JobStatus.Phase.RUNNING, phaseOnly.phase());
        assertEquals(Map.of(), phaseOnly.tasks());
        for (TaskSummary.TaskState state : TaskSummary.TaskState.values()) {
            assertEquals(s.count(state), phaseOnly.count(state), state + " tasks");
        }
        assertEquals(1, phaseOnly.count(TaskSummary.TaskState.PENDING), "b waits for a");
        assertEquals(s.acceptedAtMs(), phaseOnly.acceptedAtMs());

        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n9/a/1.tensor"), "again")); // a duplicate: b waits already
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0)); // a late report of a's first run
        tasks.expectNoMessage(Duration.ofMillis(300));

        job.tell(succeeded("a", 2, output("n2/a/2.tensor"), 1));
        assertEquals(output("n2/a/2.tensor"), execute("b").inputs().get("x"));
        job.tell(succeeded("b", 1, TaskOutput.inline(com.fasterxml.jackson.databind.node.IntNode.valueOf(1)), 0));
        job.tell(succeeded("c", 1, TaskOutput.inline(com.fasterxml.jackson.databind.node.IntNode.valueOf(2)), 0));
        JobResult r = client.expectMessageClass(JobResult.class, Duration.ofSeconds(5));
        assertTrue(r.succeeded(), r.reason());
        assertEquals("n2/a/2.tensor", r.storedOutputs().get("a").key());
        assertEquals(1, r.tasks().get("a").reruns());
        assertEquals(0, r.tasks().get("b").reruns());
    }

    @Test
    void shouldSendTheReaderTheNewOutputWhenItReportsAnOutputAlreadyMadeAgain() {
        var job = start("lineage-2", 3);
        loseOnceAndMakeAgain(job, "n2/a/2.tensor");
        // b's report of the old output arrives late (an earlier incarnation): no rerun, b gets the new one
        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n9/a/1.tensor"), "late"));
        Task.Execute b = execute("b");
        assertEquals(output("n2/a/2.tensor"), b.inputs().get("x"));
        assertEquals(1, status(job).tasks().get("a").reruns()); // once, not twice
    }

    @Test
    void shouldFailTheJobWhenAnOutputIsLostMoreOftenThanAllowed() {
        var job = start("lineage-3", 1);
        loseOnceAndMakeAgain(job, "n8/a/2.tensor");
        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n8/a/2.tensor"), "second loss"));
        JobResult r = client.expectMessageClass(JobResult.class, Duration.ofSeconds(5));
        assertFalse(r.succeeded());
        assertEquals("task 'a' lost its output 2 times (at most 1 reruns, colony.jobs.max-output-reruns); last: "
                + "second loss", r.reason());
    }

    /** a succeeds with n9/a/1.tensor, b finds it lost, a runs again and makes {@code remade}, b gets it. */
    private void loseOnceAndMakeAgain(ActorRef<Job.Command> job, String remade) {
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0));
        execute("b");
        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n9/a/1.tensor"), "first loss"));
        assertEquals(1, execute("a").reruns());
        job.tell(succeeded("a", 2, output(remade), 1));
        assertEquals(output(remade), execute("b").inputs().get("x"));
    }

    /** A reader that has not reported the loss (it may not have read the output yet) waits for the rerun too. */
    @Test
    void shouldHoldBackEveryReaderOfALostOutputUntilItIsMadeAgain() {
        List<TaskSpec> specs = List.of(TaskSpec.of("a", "noop", Map.of()),
                TaskSpec.of("b", "noop", Map.of()).withInputs(Map.of("x", "a")),
                TaskSpec.of("e", "noop", Map.of()).withInputs(Map.of("y", "a")));
        var job = start("lineage-4", 3, specs, List.of("a"));
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0));
        assertEquals(List.of("b", "e"), List.of(execute(null), execute(null)).stream().map(m -> m.spec().id()).sorted()
                .toList());
        job.tell(new Job.InputsLost("b", 0, Map.of("a", "n9/a/1.tensor"), "gone"));
        assertEquals(1, execute("a").reruns());
        JobStatus s = status(job);
        assertEquals(TaskSummary.TaskState.PENDING, s.tasks().get("b").state());
        assertEquals(TaskSummary.TaskState.PENDING, s.tasks().get("e").state());
        job.tell(succeeded("e", 1, TaskOutput.inline(com.fasterxml.jackson.databind.node.IntNode.valueOf(1)), 0));
        tasks.expectNoMessage(Duration.ofMillis(300)); // e's report is not applied while it waits; nothing is sent
        job.tell(succeeded("a", 2, output("n2/a/2.tensor"), 1));
        var again = List.of(execute(null), execute(null));
        assertEquals(List.of("b", "e"), again.stream().map(m -> m.spec().id()).sorted().toList());
        assertTrue(again.stream().allMatch(m -> List.copyOf(m.inputs().values()).equals(List.of(output("n2/a/2.tensor")))),
                again.toString());
    }

    /** b, run again for c, finds its own input a lost: a runs again, then b's run 1 goes on (not its first run). */
    @Test
    void shouldKeepARerunsCountWhenItsTaskWaitsForALostInputOfItsOwn() {
        List<TaskSpec> specs = List.of(TaskSpec.of("a", "noop", Map.of()),
                TaskSpec.of("b", "noop", Map.of()).withInputs(Map.of("x", "a")),
                TaskSpec.of("c", "noop", Map.of()).withInputs(Map.of("y", "b")));
        var job = start("lineage-5", 3, specs, List.of("a"));
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0));
        execute("b");
        job.tell(succeeded("b", 1, output("n9/b/1.tensor"), 0));
        execute("c");
        job.tell(new Job.InputsLost("c", 0, Map.of("b", "n9/b/1.tensor"), "b lost"));
        assertEquals(1, execute("b").reruns());
        job.tell(new Job.InputsLost("b", 1, Map.of("a", "n9/a/1.tensor"), "a lost"));
        assertEquals(1, execute("a").reruns());
        assertEquals(TaskSummary.TaskState.PENDING, status(job).tasks().get("b").state());
        job.tell(succeeded("a", 2, output("n2/a/2.tensor"), 1));
        Task.Execute b = execute("b");
        assertEquals(1, b.reruns()); // its task has journalled run 1: an Execute of run 0 would be ignored as stale
        assertEquals(output("n2/a/2.tensor"), b.inputs().get("x"));
    }

    /** b's output is lost while its own input a is being made again: b waits for a, never runs without it. */
    @Test
    void shouldHoldBackARerunWhoseOwnInputIsBeingMadeAgain() {
        List<TaskSpec> specs = List.of(TaskSpec.of("a", "noop", Map.of()),
                TaskSpec.of("b", "noop", Map.of()).withInputs(Map.of("x", "a")),
                TaskSpec.of("c", "noop", Map.of()).withInputs(Map.of("y", "b")),
                TaskSpec.of("e", "noop", Map.of()).withInputs(Map.of("z", "a")));
        var job = start("lineage-6", 3, specs, List.of("a"));
        job.tell(succeeded("a", 1, output("n9/a/1.tensor"), 0));
        execute(null);
        execute(null); // b and e
        job.tell(succeeded("b", 1, output("n9/b/1.tensor"), 0));
        execute("c");
        job.tell(new Job.InputsLost("e", 0, Map.of("a", "n9/a/1.tensor"), "a lost"));
        assertEquals(1, execute("a").reruns());
        job.tell(new Job.InputsLost("c", 0, Map.of("b", "n9/b/1.tensor"), "b lost"));
        tasks.expectNoMessage(Duration.ofMillis(300)); // b cannot run: its input is being made again
        JobStatus s = status(job);
        assertEquals(TaskSummary.TaskState.PENDING, s.tasks().get("b").state());
        assertEquals(1, s.tasks().get("b").reruns());
        job.tell(succeeded("a", 2, output("n2/a/2.tensor"), 1));
        var again = List.of(execute(null), execute(null));
        Task.Execute b = again.stream().filter(m -> m.spec().id().equals("b")).findFirst().orElseThrow();
        assertEquals(1, b.reruns());
        assertEquals(output("n2/a/2.tensor"), b.inputs().get("x"));
        assertEquals(List.of("b", "e"), again.stream().map(m -> m.spec().id()).sorted().toList());
    }

    private ActorRef<Job.Command> start(String id, int maxReruns) {
        return start(id, maxReruns, SPEC.tasks(), List.of("a", "c"));
    }

    private ActorRef<Job.Command> start(String id, int maxReruns, List<TaskSpec> specs, List<String> roots) {
        var job = KIT.spawn(Job.create(id, key -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000, 60_000, maxReruns),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        job.tell(new Job.Start(JobSpec.of(id, specs), client.getRef(), 0, "s1"));
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            sent.add(execute(null).spec().id());
        }
        assertEquals(roots, sent.stream().sorted().toList());
        return job;
    }

    /** The next Execute, which must be for {@code taskId} (any when null). */
    private Task.Execute execute(String taskId) {
        Task.Execute m = (Task.Execute) tasks.expectMessageClass(Task.Execute.class, Duration.ofSeconds(5));
        if (taskId != null) {
            assertEquals(taskId, m.spec().id());
        }
        return m;
    }

    private JobStatus status(ActorRef<Job.Command> job) {
        TestProbe<JobStatus> probe = KIT.createTestProbe(JobStatus.class);
        job.tell(new Job.GetStatus(probe.getRef(), false));
        return probe.receiveMessage();
    }

    private static TaskOutput output(String key) {
        return TaskOutput.stored(new OutputRef(key.substring(0, 2), key, 8, null, "00", null, null));
    }

    private static Job.TaskSucceeded succeeded(String id, int attempt, TaskOutput out, int reruns) {
        return new Job.TaskSucceeded(id, attempt, out, new TaskSummary(TaskSummary.TaskState.SUCCEEDED, "n", 1, 0, 1,
                "p", null, reruns, 0));
    }
}
