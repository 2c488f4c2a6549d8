package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.node.IntNode;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The job entity against scripted tasks (a probe) and a journal whose writes the test holds. */
class JobTest {

    static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
            akka.persistence.journal.plugin = "gated-journal"
            gated-journal.class = "dev.colony.actors.job.GatedJournal"
            akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
            akka.jvm-exit-on-fatal-error = off # a stack overflow fails this test, not the test JVM
            """).withFallback(ConfigFactory.load()));

    @AfterAll
    static void stop() {
        GatedJournal.open();
        KIT.shutdownTestKit();
    }

    /**
     * Akka 2.8.6 unstashes commands that write nothing by recursion: thousands of task reports
     * stashed while the job writes overflowed the stack and stopped the JVM. The job must take
     * them all and succeed.
     */
    @Test
    void shouldTakeThousandsOfReportsArrivingWhileItWrites() {
        int n = 3_000;
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(TaskSpec.of("t" + i, "noop", Map.of()));
        }
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<Object> client = KIT.createTestProbe(); // a result this large comes in parts
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe(ClusterSharding.ShardCommand.class);
        var job = KIT.spawn(Job.create("flood", id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000), shard.getRef()));
        job.tell(new Job.Start(JobSpec.of("flood", specs), client.getRef().narrow(), 0, "s1"));
        assertEquals(n, tasks.receiveSeveralMessages(n, Duration.ofSeconds(10)).size());

        GatedJournal.close();
        int before = GatedJournal.writes();
        job.tell(succeeded(0));
        tasks.awaitAssert(() -> {
            assertTrue(GatedJournal.writes() > before, "the first report is being written");
            return null;
        });
        for (int i = 1; i < n; i++) { // all of these arrive while that write is held
            job.tell(new Job.AttemptRunning("t" + i, 0, 1, "n1", 0, "p", 0));
            job.tell(succeeded(i));
        }
        GatedJournal.open();

        var parts = new ResultParts.Assembler();
        JobResult result = null;
        while (result == null) {
            Object m = client.receiveMessage(Duration.ofSeconds(30));
            assertTrue(m instanceof ResultParts.Part, "a result of " + n + " tasks comes in parts");
            result = parts.offer(m);
        }
        assertTrue(result.succeeded(), result::reason);
        assertEquals(n, result.outputs().size());
        assertEquals(n, result.tasks().size());
        assertEquals(n - 1, result.outputs().get("t" + (n - 1)).asInt());
    }

    /** A database that goes away for a moment: the job restarts, recovers and still ends once. */
    @Test
    void shouldSendItsUnfinishedTasksTheirWorkAgainPeriodically() {
        List<TaskSpec> specs = List.of(TaskSpec.of("t0", "noop", Map.of()), TaskSpec.of("t1", "noop", Map.of()));
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        var job = KIT.spawn(Job.create("again", id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000, 50),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        job.tell(new Job.Start(JobSpec.of("again", specs), client.getRef(), 0, "s1"));
        tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));
        job.tell(succeeded(0));
        // t1 did not report (its entity may have been lost with a cluster member): it gets its work again
        int[] t1 = {0};
        tasks.fishForMessage(Duration.ofSeconds(5), m -> ((Task.Execute) m).spec().id().equals("t1") && ++t1[0] == 2
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        job.tell(succeeded(1));
        assertTrue(client.expectMessageClass(JobResult.class, Duration.ofSeconds(5)).succeeded());
    }

    @Test
    void shouldRestartAndFinishWhenTheJournalFailsWrites() {
        List<TaskSpec> specs = List.of(TaskSpec.of("t0", "noop", Map.of()), TaskSpec.of("t1", "noop", Map.of()));
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe(ClusterSharding.ShardCommand.class);
        var job = KIT.spawn(Job.create("blip", id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000), shard.getRef()));

        GatedJournal.failNextWrites(1); // Accepted is not written: the job tries again after its back-off
        job.tell(new Job.Start(JobSpec.of("blip", specs), client.getRef(), 0, "s1"));
        tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));

        GatedJournal.failNextWrites(1); // t0's success is not written: the job releases t0 and t1 again
        job.tell(succeeded(0));
        var again = tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));
        assertEquals(List.of("t0", "t1"), again.stream().map(m -> ((Task.Execute) m).spec().id()).sorted().toList());

        job.tell(succeeded(0));
        job.tell(succeeded(1));
        JobResult result = client.expectMessageClass(JobResult.class, Duration.ofSeconds(10));
        assertTrue(result.succeeded(), result::reason);
        assertEquals(1, result.outputs().get("t1").asInt());
        client.expectNoMessage(Duration.ofMillis(200)); // once
    }

    /**
     * The job hands out attempt numbers in events it journals, and only answers once they are
     * written: the release reserves attempt 1 (sent fresh), an attempt's end the next, and after a
     * restart the work goes out again without a number, so a new incarnation asks for one above
     * every number handed out before.
     */
    @Test
    void shouldHandOutEachAttemptNumberOnceAndOnlyWhenJournalled() {
        List<TaskSpec> specs = List.of(TaskSpec.of("t0", "noop", Map.of()), TaskSpec.of("t1", "noop", Map.of()));
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe(ClusterSharding.ShardCommand.class);
        java.util.function.Supplier<akka.actor.typed.ActorRef<Job.Command>> spawn = () -> KIT.spawn(Job.create("numbers",
                id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(), InstantSource.system(),
                new JobSettings(0, 60_000), shard.getRef()));
        var job = spawn.get();
        job.tell(new Job.Start(JobSpec.of("numbers", specs), client.getRef(), 0, "s1"));
        for (var m : tasks.receiveSeveralMessages(2, Duration.ofSeconds(5))) {
            var e = (Task.Execute) m;
            assertTrue(e.fresh(), e.toString());
            assertEquals(1, e.attempt());
        }
        job.tell(new Job.AttemptRunning("t0", 0, 1, "n1", 0, "p", 0));
        GatedJournal.close();
        job.tell(new Job.AttemptEnded("t0", 0, 1, "n1", "kernel failed", 3, true, tasks.getRef()));
        tasks.expectNoMessage(Duration.ofMillis(200)); // not written yet: no number
        GatedJournal.open();
        assertEquals(new Task.AttemptReserved(0, 2, null), tasks.expectMessageClass(Task.AttemptReserved.class));
        job.tell(new Job.AttemptRunning("t0", 0, 2, "n1", 0, "p", 0));
        var status = KIT.createTestProbe(JobStatus.class);
        status.awaitAssert(() -> {
            job.tell(new Job.GetStatus(status.getRef(), false));
            var t0 = status.receiveMessage().tasks().get("t0");
            assertEquals(TaskSummary.TaskState.RUNNING, t0.state());
            assertEquals(2, t0.attempts()); // the failed attempt 1, and attempt 2 that runs
            return null;
        });

        KIT.stop(job); // the process dies; the job recovers from its journal
        var again = spawn.get();
        again.tell(new Job.GetStatus(status.getRef(), true));
        status.receiveMessage();
        var redelivered = tasks.receiveSeveralMessages(2, Duration.ofSeconds(5)).stream().map(m -> (Task.Execute) m)
                .filter(e -> e.spec().id().equals("t0")).findFirst().orElseThrow();
        assertTrue(!redelivered.fresh() && redelivered.attempt() == 2, redelivered.toString());
        assertEquals(TaskSummary.TaskState.RUNNING, redelivered.journalled().state());
        again.tell(new Job.ReserveAttempt("t0", 0, tasks.getRef()));
        assertEquals(new Task.AttemptReserved(0, 3, null), tasks.expectMessageClass(Task.AttemptReserved.class));
        again.tell(new Job.Watch(client.getRef(), false));
        again.tell(new Job.Cancel("done"));
        assertTrue(!client.expectMessageClass(JobResult.class, Duration.ofSeconds(5)).succeeded());
        again.tell(new Job.ReserveAttempt("t1", 0, tasks.getRef())); // too late: refused, nothing written
        var refused = tasks.fishForMessage(Duration.ofSeconds(5), m -> m instanceof Task.AttemptReserved
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        assertTrue(((Task.AttemptReserved) refused.getLast()).refusal().contains("the job has ended"));
    }

    /**
     * At most its window of tasks is out; a lease a node handed on runs the next held task with no
     * task entity (the job sends the Run, the node reports to the job), one nobody fits goes back to
     * its node, and a run that does not succeed goes to its task's entity with the node's report.
     */
    @Test
    void shouldKeepItsWindowOutAndRunHeldTasksUnderLeasesHandedOn() {
        TestProbe<Node.Command> node = KIT.createTestProbe(Node.Command.class);
        Started started = started("window", 5, 2);
        var job = started.job();
        var tasks = started.tasks();
        var client = started.client();
        var first = tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));
        assertEquals(List.of("t0", "t1"), first.stream().map(m -> ((Task.Execute) m).spec().id()).toList());
        tasks.expectNoMessage(Duration.ofMillis(100)); // the window is full

        job.tell(succeeded(0, lease(node, 5)));
        var t2 = node.expectMessageClass(Node.Run.class);
        assertEquals(List.of(5L, "t2", 1), List.of(t2.leaseId(), t2.attempt().taskId(), t2.attempt().attempt()));
        job.tell(succeeded(1, null));
        var t3 = (Task.Execute) tasks.receiveMessage();
        assertEquals("t3", t3.spec().id()); // t2 counts as out: one slot was free
        t2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 5, 1, TaskOutput.inline(IntNode.valueOf(2)), 0, 6));
        var t4 = node.expectMessageClass(Node.Run.class); // t2's lease, handed on again
        assertEquals(List.of(6L, "t4"), List.of(t4.leaseId(), t4.attempt().taskId()));
        job.tell(succeeded(3, lease(node, 7))); // nobody is left to take it
        assertEquals(7, node.expectMessageClass(Node.ReleaseLease.class).leaseId());

        t4.replyTo().tell(new NodeReply.AttemptFailed("n1", 6, 1, "boom", 0));
        var adopt = (Task.Adopt) tasks.receiveMessage(); // the entity takes the attempt over, then the report
        assertEquals(List.of("t4", 1, 6L), List.of(adopt.execute().spec().id(), adopt.execute().attempt(),
                adopt.lease().leaseId()));
        assertEquals("boom", ((NodeReply.AttemptFailed) tasks.receiveMessage()).reason());
        job.tell(succeeded(4, null));
        JobResult result = client.expectMessageClass(JobResult.class, Duration.ofSeconds(5));
        assertTrue(result.succeeded());
        assertEquals(IntNode.valueOf(2), result.outputs().get("t2"));
    }

    /** Two nodes number their leases alike: each report goes to the run under that node's lease. */
    @Test
    void shouldTellTheRunsOfTwoNodesWithTheSameLeaseNumberApart() {
        TestProbe<Node.Command> a = KIT.createTestProbe(Node.Command.class);
        TestProbe<Node.Command> b = KIT.createTestProbe(Node.Command.class);
        Started started = started("two-nodes", 4, 2);
        var job = started.job();
        var tasks = started.tasks();
        var client = started.client();
        tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));
        job.tell(succeeded(0, new dev.colony.actors.node.HandedLease(a.getRef(), "a", 5, ResourceRequest.ONE_CPU)));
        var onA = a.expectMessageClass(Node.Run.class);
        job.tell(succeeded(1, new dev.colony.actors.node.HandedLease(b.getRef(), "b", 5, ResourceRequest.ONE_CPU)));
        var onB = b.expectMessageClass(Node.Run.class);
        assertEquals(List.of("t2", "t3"), List.of(onA.attempt().taskId(), onB.attempt().taskId()));
        onB.replyTo().tell(new NodeReply.AttemptSucceeded("b", 5, 1, TaskOutput.inline(IntNode.valueOf(3)), 0, -1));
        onA.replyTo().tell(new NodeReply.AttemptSucceeded("a", 5, 1, TaskOutput.inline(IntNode.valueOf(2)), 0, -1));
        JobResult result = client.expectMessageClass(JobResult.class, Duration.ofSeconds(5));
        assertTrue(result.succeeded());
        assertEquals(List.of(IntNode.valueOf(2), IntNode.valueOf(3)), List.of(result.outputs().get("t2"),
                result.outputs().get("t3")));
    }

    /** Successes a node reports together run the next held tasks, whose Runs go to it together. */
    @Test
    void shouldRunHeldTasksTogetherWhenANodeReportsSuccessesTogether() {
        TestProbe<Node.Command> node = KIT.createTestProbe(Node.Command.class);
        Started started = started("together", 6, 2);
        var job = started.job();
        var tasks = started.tasks();
        var client = started.client();
        tasks.receiveSeveralMessages(2, Duration.ofSeconds(5));
        job.tell(succeeded(0, lease(node, 5)));
        var t2 = node.expectMessageClass(Node.Run.class);
        job.tell(succeeded(1, lease(node, 6)));
        assertEquals("t3", node.expectMessageClass(Node.Run.class).attempt().taskId());
        t2.replyTo().tell(new NodeReply.Successes(List.of(
                new NodeReply.AttemptSucceeded("n1", 5, 1, TaskOutput.inline(IntNode.valueOf(2)), 0, 7),
                new NodeReply.AttemptSucceeded("n1", 6, 1, TaskOutput.inline(IntNode.valueOf(3)), 0, 8))));
        var runs = node.expectMessageClass(Node.Runs.class).runs();
        assertEquals(List.of("t4", "t5"), runs.stream().map(r -> r.attempt().taskId()).toList());
        assertEquals(List.of(7L, 8L), runs.stream().map(Node.Run::leaseId).toList());
        runs.getFirst().replyTo().tell(new NodeReply.Successes(List.of(
                new NodeReply.AttemptSucceeded("n1", 7, 1, TaskOutput.inline(IntNode.valueOf(4)), 0, -1),
                new NodeReply.AttemptSucceeded("n1", 8, 1, TaskOutput.inline(IntNode.valueOf(5)), 0, -1))));
        JobResult result = client.expectMessageClass(JobResult.class, Duration.ofSeconds(5));
        assertTrue(result.succeeded());
        assertEquals(IntNode.valueOf(5), result.outputs().get("t5"));
    }

    /**
     * A job's own run is journalled as running once it has been out a while, goes to its entity
     * when its node is gone, and is withdrawn from its node when the job is cancelled.
     */
    @Test
    void shouldJournalItsOwnRunsAndHandThemToTheirEntitiesWhenTheNodeGoesAndCancelThemWithTheJob() {
        TestProbe<Node.Command> gone = KIT.createTestProbe(Node.Command.class);
        TestProbe<Node.Command> node = KIT.createTestProbe(Node.Command.class);
        Started started = started("own-runs", 3, 1);
        var job = started.job();
        var tasks = started.tasks();
        var client = started.client();
        assertEquals("t0", ((Task.Execute) tasks.receiveMessage()).spec().id());
        job.tell(succeeded(0, lease(gone, 3)));
        assertEquals("t1", gone.expectMessageClass(Node.Run.class).attempt().taskId());
        TestProbe<JobStatus> status = KIT.createTestProbe(JobStatus.class);
        status.awaitAssert(() -> { // a run still out after a while is journalled as running
            job.tell(new Job.GetStatus(status.getRef(), false));
            TaskSummary t1 = status.receiveMessage().tasks().get("t1");
            assertEquals(List.of(TaskSummary.TaskState.RUNNING, "n1", 1), List.of(t1.state(), t1.node(), t1.attempts()));
            return null;
        });
        gone.stop();
        var adopt = (Task.Adopt) tasks.receiveMessage(Duration.ofSeconds(5));
        assertEquals(List.of("t1", 3L), List.of(adopt.execute().spec().id(), adopt.lease().leaseId()));

        job.tell(succeeded(1, lease(node, 4)));
        assertEquals("t2", node.expectMessageClass(Node.Run.class).attempt().taskId());
        job.tell(new Job.Cancel("by the user"));
        assertTrue(!client.expectMessageClass(JobResult.class, Duration.ofSeconds(5)).succeeded());
        assertEquals("own-runs/t2", node.expectMessageClass(Node.Cancel.class).taskKey());
    }

    /**
     * Admission: with one job running per process, a second waits QUEUED (nothing goes out), stays
     * queued across a restart of its entity, and runs once the first ends.
     */
    @Test
    void shouldWaitQueuedBeyondMaxRunningAcrossARestartThenRun() {
        var admission = new Admission(1, 10, 100);
        TestProbe<Task.Command> tasks1 = KIT.createTestProbe(Task.Command.class);
        TestProbe<Task.Command> tasks2 = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<JobStatus> status = KIT.createTestProbe(JobStatus.class);
        java.util.function.BiFunction<String, TestProbe<Task.Command>, akka.actor.typed.ActorRef<Job.Command>> spawn =
                (id, probe) -> KIT.spawn(Job.create(id, t -> probe.getRef(), KIT.createTestProbe(Job.Command.class)
                        .getRef(), InstantSource.system(), new JobSettings(0, 60_000), JobReporter.NONE, () -> 10,
                        admission, KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        var first = spawn.apply("adm-1", tasks1);
        first.tell(new Job.Start(JobSpec.of("adm-1", List.of(TaskSpec.of("t0", "noop", Map.of()))), client.getRef(),
                0, "s1"));
        tasks1.expectMessageClass(Task.Execute.class);
        var second = spawn.apply("adm-2", tasks2);
        second.tell(new Job.Start(JobSpec.of("adm-2", List.of(TaskSpec.of("t0", "noop", Map.of()))), client.getRef(),
                0, "s2"));
        status.awaitAssert(() -> {
            second.tell(new Job.GetStatus(status.getRef(), true));
            assertEquals(JobStatus.Phase.QUEUED, status.receiveMessage().phase());
            return null;
        });
        tasks2.expectNoMessage(Duration.ofMillis(100));

        KIT.stop(second); // its process restarts: the job recovers, still queued
        var again = spawn.apply("adm-2", tasks2);
        again.tell(new Job.GetStatus(status.getRef(), true));
        assertEquals(JobStatus.Phase.QUEUED, status.receiveMessage().phase());
        tasks2.expectNoMessage(Duration.ofMillis(100));

        first.tell(succeeded(0));
        assertTrue(client.expectMessageClass(JobResult.class, Duration.ofSeconds(5)).succeeded());
        assertEquals("t0", ((Task.Execute) tasks2.receiveMessage(Duration.ofSeconds(5))).spec().id()); // admitted
        again.tell(new Job.GetStatus(status.getRef(), true));
        assertEquals(JobStatus.Phase.RUNNING, status.receiveMessage().phase());
    }

    /** A lease handed on to a job that was cancelled meanwhile goes back to its node. */
    @Test
    void shouldGiveBackALeaseHandedOnAfterItWasCancelled() {
        List<TaskSpec> specs = List.of(TaskSpec.of("t0", "noop", Map.of()).withResources(ResourceRequest.ONE_CPU),
                TaskSpec.of("t1", "noop", Map.of()).withResources(ResourceRequest.ONE_CPU));
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<Node.Command> node = KIT.createTestProbe(Node.Command.class);
        var job = windowed("cancelled", tasks, 1);
        job.tell(new Job.Start(JobSpec.of("cancelled", specs), client.getRef(), 0, "s1"));
        assertEquals("t0", ((Task.Execute) tasks.receiveMessage()).spec().id());
        job.tell(new Job.Cancel("by the user"));
        assertTrue(!client.expectMessageClass(JobResult.class, Duration.ofSeconds(5)).succeeded());
        assertEquals("job 'cancelled' failed", ((Task.CancelTask) tasks.receiveMessage()).reason());
        job.tell(succeeded(0, lease(node, 9))); // t0 ended before it heard: its node kept the lease
        assertEquals(9, node.expectMessageClass(Node.ReleaseLease.class).leaseId());
        tasks.expectNoMessage(Duration.ofMillis(100)); // t1, held, never goes out
    }

    /** A started job, its tasks' address and its client. */
    private record Started(akka.actor.typed.ActorRef<Job.Command> job, TestProbe<Task.Command> tasks,
                           TestProbe<JobResult> client) {
    }

    /** Job {@code id} of {@code n} one-cpu noop tasks, started with at most {@code window} of them out. */
    private static Started started(String id, int n, int window) {
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        var job = windowed(id, tasks, window);
        job.tell(new Job.Start(JobSpec.of(id, oneCpuTasks(n)), client.getRef(), 0, "s1"));
        return new Started(job, tasks, client);
    }

    /** Noop tasks t0, t1, ... of one cpu each (with the timeout a validated spec has). */
    private static List<TaskSpec> oneCpuTasks(int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(TaskSpec.of("t" + i, "noop", Map.of()).withResources(ResourceRequest.ONE_CPU)
                    .withTimeoutMs(60_000));
        }
        return specs;
    }

    /** Job {@code id} sending its tasks' work to {@code tasks}, with at most {@code window} out. */
    private static akka.actor.typed.ActorRef<Job.Command> windowed(String id, TestProbe<Task.Command> tasks,
                                                                   int window) {
        return KIT.spawn(Job.create(id, t -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000), JobReporter.NONE, () -> window,
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
    }

    private static dev.colony.actors.node.HandedLease lease(TestProbe<Node.Command> node,
                                                           long id) {
        return new dev.colony.actors.node.HandedLease(node.getRef(), "n1", id, ResourceRequest.ONE_CPU);
    }

    private static Job.TaskSucceeded succeeded(int i, dev.colony.actors.node.HandedLease lease) {
        return new Job.TaskSucceeded("t" + i, 1, TaskOutput.inline(IntNode.valueOf(i)),
                TaskSummary.PENDING.withState(TaskSummary.TaskState.SUCCEEDED), lease);
    }

    /**
     * A status query for an unknown id passivates the entity; a Start that reaches it before it
     * stops must go to the next incarnation, or its client would wait on one that is gone.
     */
    @Test
    void shouldHandAStartThatRacesWithPassivationToTheNextIncarnation() {
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<Job.Command> viaShard = KIT.createTestProbe(Job.Command.class);
        TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe(ClusterSharding.ShardCommand.class);
        TestProbe<JobStatus> status = KIT.createTestProbe(JobStatus.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        var job = KIT.spawn(Job.create("racing", id -> tasks.getRef(), viaShard.getRef(), InstantSource.system(),
                new JobSettings(0, 60_000), shard.getRef()));
        job.tell(new Job.GetStatus(status.getRef(), false));
        assertEquals(JobStatus.Phase.UNKNOWN, status.receiveMessage().phase());
        shard.expectMessageClass(ClusterSharding.Passivate.class);

        var start = new Job.Start(JobSpec.of("racing", List.of(TaskSpec.of("t", "noop", Map.of()))), client.getRef(), 0, "s1");
        job.tell(start);
        assertEquals(start, viaShard.receiveMessage());
        tasks.expectNoMessage(Duration.ofMillis(100)); // this incarnation did not start it
    }

    private static Job.TaskSucceeded succeeded(int i) {
        return new Job.TaskSucceeded("t" + i, 1, TaskOutput.inline(IntNode.valueOf(i)),
                TaskSummary.PENDING.withState(TaskSummary.TaskState.SUCCEEDED));
    }
    /**
     * The admission is told after the acceptance is journalled (a Start sent again is told again);
     * a racing submission of the same id is told its id is in use, and its client hears nothing else.
     */
    @Test
    void shouldTellTheAdmissionOnceJournalledAndRefuseARacingSubmission() {
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<JobResult> other = KIT.createTestProbe(JobResult.class);
        TestProbe<JobAdmission> admitted = KIT.createTestProbe(JobAdmission.class);
        TestProbe<JobAdmission> refused = KIT.createTestProbe(JobAdmission.class);
        var job = KIT.spawn(Job.create("raced", id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        var spec = JobSpec.of("raced", List.of(TaskSpec.of("t0", "noop", Map.of())));
        job.tell(new Job.Start(spec, client.getRef(), 0, "s1", admitted.getRef()));
        job.tell(new Job.Start(JobSpec.of("raced", List.of(TaskSpec.of("t9", "noop", Map.of()))), other.getRef(), 0,
                "s2", refused.getRef()));
        assertEquals(JobAdmission.accepted("raced"), admitted.receiveMessage());
        JobAdmission no = refused.receiveMessage();
        assertEquals(JobAdmission.Verdict.ID_IN_USE, no.verdict());
        assertTrue(no.reason().contains("job id 'raced' is already in use (its job is running)"), no.reason());
        job.tell(new Job.Start(spec, client.getRef(), 0, "s1", admitted.getRef()));
        assertEquals(JobAdmission.accepted("raced"), admitted.receiveMessage());
        other.expectNoMessage(Duration.ofMillis(100));
        job.tell(succeeded(0));
        assertEquals(JobResult.Outcome.SUCCEEDED, client.expectMessageClass(JobResult.class).outcome());
    }

    /**
     * A Start can be lost on its way, so its manager sends it again: the job takes a repeated Start
     * of the submission it accepted as a watch, and rejects another submission with its id.
     */
    @Test
    void shouldTakeItsOwnStartSentAgainAsAWatch() {
        TestProbe<Task.Command> tasks = KIT.createTestProbe(Task.Command.class);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<JobResult> other = KIT.createTestProbe(JobResult.class);
        var job = KIT.spawn(Job.create("resent", id -> tasks.getRef(), KIT.createTestProbe(Job.Command.class).getRef(),
                InstantSource.system(), new JobSettings(0, 60_000),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        var spec = JobSpec.of("resent", List.of(TaskSpec.of("t0", "noop", Map.of())));
        job.tell(new Job.Start(spec, client.getRef(), 0, "s1"));
        tasks.expectMessageClass(Task.Execute.class);
        job.tell(new Job.Start(spec, client.getRef(), 0, "s1"));
        job.tell(new Job.Start(spec, other.getRef(), 0, "s2"));
        assertTrue(other.expectMessageClass(JobResult.class).reason().contains("job id 'resent' is already in use"));
        client.expectNoMessage(Duration.ofMillis(100)); // not rejected: it waits for the result
        job.tell(succeeded(0));
        assertEquals(JobResult.Outcome.SUCCEEDED, client.expectMessageClass(JobResult.class).outcome());
        client.expectNoMessage(Duration.ofMillis(100)); // once, though it started the job and watched it
        job.tell(new Job.Start(spec, client.getRef(), 0, "s1")); // a late copy
        assertEquals(JobResult.Outcome.SUCCEEDED, client.expectMessageClass(JobResult.class).outcome());
    }

    /** A client watching again (its job may have moved to another member) hears nothing about an unknown id. */
    @Test
    void shouldAnswerAWatchOfAnUnknownJobOnlyWhenNotAskedToStayQuiet() {
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        var job = KIT.spawn(Job.create("nobody", id -> KIT.createTestProbe(Task.Command.class).getRef(),
                KIT.createTestProbe(Job.Command.class).getRef(), InstantSource.system(), new JobSettings(0, 60_000),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        job.tell(new Job.Watch(client.getRef(), true));
        client.expectNoMessage(Duration.ofMillis(200));
        var job2 = KIT.spawn(Job.create("nobody-2", id -> KIT.createTestProbe(Task.Command.class).getRef(),
                KIT.createTestProbe(Job.Command.class).getRef(), InstantSource.system(), new JobSettings(0, 60_000),
                KIT.createTestProbe(ClusterSharding.ShardCommand.class).getRef()));
        job2.tell(new Job.Watch(client.getRef(), false));
        assertEquals("no job with id 'nobody-2'", client.expectMessageClass(JobResult.class).reason());
    }
}
