package dev.colony.actors.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.node.NodeView;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.policy.LeastLoadedPolicy;
import dev.colony.actors.policy.PolicyBoard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The task's negotiation against scripted nodes and a scripted job (probes): the job journals, the task does not. */
class TaskTest {

    static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
            akka.actor.serialize-messages = on
            """)
            .withFallback(ConfigFactory.load()));

    final TestProbe<Node.Command> n1 = KIT.createTestProbe(Node.Command.class);
    final TestProbe<Node.Command> n2 = KIT.createTestProbe(Node.Command.class);
    final TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
    final TestProbe<ClusterSharding.ShardCommand> shard = KIT.createTestProbe(ClusterSharding.ShardCommand.class);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    static final AtomicInteger JOBS = new AtomicInteger();
    final String jobId = "j" + JOBS.incrementAndGet(); // each test its own task
    long checkEveryMs = 60_000; // a task that hears nothing asks again after this (beyond most tests)

    ActorRef<Task.Command> task(int maxRounds) {
        var ref = spawn(maxRounds);
        ref.tell(execute());
        return ref;
    }

    Task.Execute execute() {
        return new Task.Execute(jobId, TaskSpec.of("t", "noop", Map.of()).withResources(ResourceRequest.ONE_CPU)
                .withMaxAttempts(2).withTimeoutMs(1_000), Map.of(), 0, 0, 0);
    }

    /** A new incarnation of the task entity: it knows only what its job's Execute brings. */
    ActorRef<Task.Command> spawn(int maxRounds) {
        var view = NodeView.of(List.of(new NodeDescriptor("n1", n1.getRef(), ResourceRequest.cpus(4), 1),
                new NodeDescriptor("n2", n2.getRef(), ResourceRequest.cpus(4), 1)));
        var settings = new TaskSettings(5_000, maxRounds, 1, 5, 1_000, checkEveryMs, 1, 20);
        var deps = new TaskDeps(settings, new PolicyBoard(new LeastLoadedPolicy()), view, id -> job.getRef(), t -> 1);
        return KIT.spawn(Task.create(Task.entityId(jobId, "t"), deps, shard.getRef()));
    }

    /** Negotiates with n1 alone answering, up to n1's lease {@code leaseId}. */
    void leasedByN1(long leaseId) {
        var r = offerRequest(n1);
        offerRequest(n2);
        r.replyTo().tell(offer("n1", n1, r.round(), 0));
        r.replyTo().tell(new NodeReply.Decline("n2", r.round(), "no"));
        var accept = n1.expectMessageClass(Node.Accept.class);
        accept.replyTo().tell(new NodeReply.Leased("n1", accept.round(), leaseId, Long.MAX_VALUE, 0, 0));
    }

    /** Negotiates with n1 alone answering, up to the Run it sends. */
    Node.Run leaseOnN1(long leaseId) {
        leasedByN1(leaseId);
        var run = n1.expectMessageClass(Node.Run.class);
        assertEquals(run.attempt().attempt(), job.expectMessageClass(Job.AttemptRunning.class).attempt());
        return run;
    }

    /** Plays the job: journals the end of the task's attempt, and hands out number {@code next}. */
    Job.AttemptEnded ended(int next) {
        var m = job.expectMessageClass(Job.AttemptEnded.class);
        m.replyTo().tell(new Task.AttemptReserved(m.reruns(), next, null));
        return m;
    }

    /** What the job's journal says of a task whose attempt {@code attempt} runs on n1, sent again (not fresh). */
    Task.Execute executeRunning(int attempt) {
        var e = execute();
        var running = new TaskSummary(TaskSummary.TaskState.RUNNING, "n1", 1, 0, 0, "least-loaded", null, 0, 0);
        return new Task.Execute(jobId, e.spec(), e.inputs(), 0, 0, 0, attempt, false, running);
    }

    @Test
    void shouldWithdrawTheAttemptInterruptedByARestartAndNeverReuseItsNumber() {
        var first = task(10);
        var run1 = leaseOnN1(21);
        assertEquals(1, run1.attempt().attempt());
        KIT.stop(first); // the process dies while attempt 1 runs
        var second = spawn(10);
        second.tell(executeRunning(1)); // the job recovered: its journal says attempt 1 runs
        var withdrawn = ended(2);
        assertEquals(1, withdrawn.attempt());
        assertFalse(withdrawn.counts());
        var run2 = leaseOnN1(22);
        assertEquals(2, run2.attempt().attempt());
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 22, 2, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals(2, done.attempt());
        assertEquals(1, done.summary().attempts()); // the interrupted attempt does not count against maxAttempts
    }

    @Test
    void shouldNegotiateAgainAtOnceWhenItsNodeIsGone() {
        task(10);
        var run1 = leaseOnN1(51);
        n1.stop(); // the node's member crashed or left: its kernel went with it
        var r = offerRequest(n2); // n1, still in this test's static view, is asked too but answers nothing
        r.replyTo().tell(offer("n2", n2, r.round(), 0));
        var accept = n2.expectMessageClass(Node.Accept.class, Duration.ofSeconds(10));
        accept.replyTo().tell(new NodeReply.Leased("n2", accept.round(), 52, Long.MAX_VALUE, 0, 0));
        assertFalse(ended(2).counts()); // attempt 1 withdrawn: the lease waits for the next number
        var run2 = n2.expectMessageClass(Node.Run.class);
        assertEquals(run1.attempt().attempt() + 1, run2.attempt().attempt()); // numbers never repeat
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n2", 52, run2.attempt().attempt(),
                TaskOutput.inline(TextNode.valueOf("ok")), 1));
        var done = job.fishForMessage(Duration.ofSeconds(5), m -> m instanceof Job.TaskSucceeded
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        var succeeded = (Job.TaskSucceeded) done.getLast();
        assertEquals("n2", succeeded.summary().node());
        assertEquals(1, succeeded.summary().attempts()); // the attempt lost with n1 does not count
    }

    /**
     * Work sent again (not fresh) to a new incarnation brings no attempt number of its own (an
     * earlier incarnation may have used it): the task asks its job for one while it negotiates, holds
     * its lease until the number comes, and asks again if its job restarted before answering.
     */
    @Test
    void shouldAskItsJobForANumberWhenItsWorkComesAgain() {
        var ref = spawn(10);
        var e = execute();
        var again = new Task.Execute(jobId, e.spec(), e.inputs(), 0, 0, 0, 1, false, null);
        ref.tell(again);
        var asked = job.expectMessageClass(Job.ReserveAttempt.class);
        leasedByN1(41);
        n1.expectNoMessage(Duration.ofMillis(100)); // the kernel waits for the number
        ref.tell(again); // the job restarted before answering: it sends the work again
        assertEquals(asked, job.expectMessageClass(Job.ReserveAttempt.class));
        ref.tell(new Task.AttemptReserved(0, 2, null));
        var run = n1.expectMessageClass(Node.Run.class);
        assertEquals(2, run.attempt().attempt()); // attempt 1 may have been used by the incarnation before
        run.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 41, 2, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        assertEquals(2, job.expectMessageClass(Job.AttemptRunning.class).attempt());
        assertEquals("ok", job.expectMessageClass(Job.TaskSucceeded.class).output().value().asText());
    }

    /**
     * An attempt its job ran under a lease handed on, handed over with its node's failure: the
     * failure counts, the task gets its next number and negotiates (no Run of its own before).
     */
    @Test
    void shouldGoOnWithAnAttemptItsJobRanWhenItFailed() {
        var ref = spawn(10);
        ref.tell(new Task.Adopt(execute(), new HandedLease(n2.getRef(), "n2", 77, ResourceRequest.cpus(4)), 5));
        ref.tell(new NodeReply.AttemptFailed("n2", 77, 1, "boom", 3));
        var ended = ended(2);
        assertEquals(List.of(1, true, "boom"), List.of(ended.attempt(), ended.counts(), ended.reason()));
        var run = leaseOnN1(78); // it negotiates: nothing was sent to run before
        n2.expectNoMessage(Duration.ofMillis(100));
        assertEquals(2, run.attempt().attempt());
        run.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 78, 2, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals(2, done.summary().attempts()); // the job's attempt counts
    }

    /** An adopted attempt that later succeeds is reported with the lease its node hands on. */
    @Test
    void shouldReportAnAdoptedAttemptsSuccessWithTheLeaseHandedOn() {
        var ref = spawn(10);
        ref.tell(new Task.Adopt(execute(), new HandedLease(n2.getRef(), "n2", 77, ResourceRequest.cpus(4)), 5));
        ref.tell(new NodeReply.AttemptSucceeded("n2", 77, 1, TaskOutput.inline(TextNode.valueOf("ok")), 1, 78));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals(new HandedLease(n2.getRef(), "n2", 78, ResourceRequest.cpus(4)), done.lease());
        assertEquals(List.of("n2", 1, 5L), List.of(done.summary().node(), done.summary().attempts(),
                done.summary().startedAtMs()));
        n1.expectNoMessage(Duration.ofMillis(100)); // no offers asked
    }

    /** Cancelled while it runs an adopted attempt: its node frees the lease. */
    @Test
    void shouldFreeAnAdoptedLeaseWhenCancelled() {
        var ref = spawn(10);
        ref.tell(new Task.Adopt(execute(), new HandedLease(n2.getRef(), "n2", 80, ResourceRequest.cpus(4)), 5));
        ref.tell(new Task.CancelTask("job 'j' failed"));
        assertEquals(Task.entityId(jobId, "t"), n2.expectMessageClass(Node.Cancel.class).taskKey());
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void shouldGiveBackItsLeaseWhenItsJobNoLongerWantsTheRun() {
        var ref = spawn(10);
        var e = execute();
        ref.tell(new Task.Execute(jobId, e.spec(), e.inputs(), 0, 0, 0, 1, false, null));
        var asked = job.expectMessageClass(Job.ReserveAttempt.class);
        leasedByN1(43);
        asked.replyTo().tell(new Task.AttemptReserved(0, 0, "job 'j' no longer waits for run 0 of task 't'"));
        assertEquals(Node.Cancel.class, n1.fishForMessage(Duration.ofSeconds(2), m -> m instanceof Node.Cancel
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).getLast().getClass());
        shard.expectMessageClass(ClusterSharding.Passivate.class);
        n1.expectNoMessage(Duration.ofMillis(100)); // no Run
    }

    @Test
    void shouldReportItsOutcomeAgainWhenReleasedAgainAfterSucceeding() {
        var first = task(10);
        var run = leaseOnN1(31);
        run.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 31, 1, TaskOutput.inline(TextNode.valueOf("v")), 1));
        assertEquals("v", job.expectMessageClass(Job.TaskSucceeded.class).output().value().asText());
        first.tell(execute()); // its report was lost: the job releases the task again
        var report = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals("v", report.output().value().asText());
        assertEquals(1, report.attempt());
        n1.expectNoMessage(Duration.ofMillis(100)); // it does not run again
    }

    /**
     * Lineage, as a consumer: an attempt whose input was lost does not count; the task names the
     * producer and the lost output to its job, ignores work that still carries it, and runs with
     * the new output.
     */
    @Test
    void shouldReportLostInputsAndWaitForWorkWithNewOnes() {
        var lostRef = TaskOutput.stored(new OutputRef("n9", "n9/j/p/1.tensor", 8, null, "00", null, null));
        var spec = TaskSpec.of("t", "noop", Map.of()).withResources(ResourceRequest.ONE_CPU).withMaxAttempts(2)
                .withTimeoutMs(1_000).withInputs(Map.of("x", "p"));
        var ref = spawn(10);
        ref.tell(new Task.Execute(jobId, spec, Map.of("x", lostRef), 0, 0, 0));
        var run = leaseOnN1(61);
        run.replyTo().tell(new NodeReply.AttemptFailed("n1", 61, 1, "input 'x': cannot be fetched", 3, List.of("x")));
        assertFalse(ended(2).counts());
        var lost = job.expectMessageClass(Job.InputsLost.class);
        assertEquals(Map.of("p", "n9/j/p/1.tensor"), lost.lost());
        assertEquals(0, lost.reruns());
        shard.expectMessageClass(ClusterSharding.Passivate.class);
        ref.tell(new Task.Execute(jobId, spec, Map.of("x", lostRef), 0, 0, 0)); // a redelivery sent before the job knew
        n1.expectNoMessage(Duration.ofMillis(100));
        var fresh = TaskOutput.stored(new OutputRef("n2", "n2/j/p/2.tensor", 8, null, "00", null, null));
        ref.tell(new Task.Execute(jobId, spec, Map.of("x", fresh), 0, 0, 0));
        var run2 = leaseOnN1(62);
        assertEquals(2, run2.attempt().attempt());
        assertEquals(fresh, run2.attempt().inputs().get("x"));
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 62, 2, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        assertEquals(1, job.expectMessageClass(Job.TaskSucceeded.class).summary().attempts()); // the lost one did not count
    }

    /** Lineage, as a producer: a finished task asked for its next run journals it and runs again. */
    @Test
    void shouldRunAgainWhenItsJobAsksForANewRunAfterSucceeding() {
        var first = task(10);
        var run = leaseOnN1(71);
        run.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 71, 1, TaskOutput.inline(TextNode.valueOf("v1")), 1));
        assertEquals(0, job.expectMessageClass(Job.TaskSucceeded.class).summary().reruns());
        KIT.stop(first);
        var again = spawn(10);
        var rerun = execute();
        var journalled = TaskSummary.PENDING.withState(TaskSummary.TaskState.SUCCEEDED).rerun("its output was lost");
        again.tell(new Task.Execute(jobId, rerun.spec(), rerun.inputs(), 0, 0, 1, 2, true, journalled));
        var run2 = leaseOnN1(72);
        assertEquals(2, run2.attempt().attempt()); // numbered on: attempt 1's file is not overwritten
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 72, 2, TaskOutput.inline(TextNode.valueOf("v2")), 1));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals("v2", done.output().value().asText());
        assertEquals(1, done.summary().reruns());
        assertEquals(1, done.summary().attempts());
        again.tell(execute()); // a stale Execute of the first run: ignored
        again.tell(new Task.Execute(jobId, rerun.spec(), rerun.inputs(), 0, 0, 1, 2, false, journalled)); // again
        var report = job.expectMessageClass(Job.TaskSucceeded.class); // its outcome once more; nothing runs
        assertEquals("v2", report.output().value().asText());
        assertEquals(1, report.summary().reruns());
        n1.expectNoMessage(Duration.ofMillis(100));
    }

    /** Messages between members can be lost: an Accept, or the Leased that answers it, is sent again. */
    @Test
    void shouldSendItsAcceptAgainUntilItsNodeAnswers() {
        checkEveryMs = 100;
        task(10);
        var r = offerRequest(n1);
        offerRequest(n2);
        r.replyTo().tell(offer("n1", n1, r.round(), 0));
        r.replyTo().tell(new NodeReply.Decline("n2", r.round(), "no"));
        var accept = n1.expectMessageClass(Node.Accept.class); // lost on its way: the node heard nothing
        var again = n1.expectMessageClass(Node.Accept.class, Duration.ofSeconds(2));
        assertEquals(accept, again);
        var third = n1.expectMessageClass(Node.Accept.class, Duration.ofSeconds(2)); // its Leased was lost too
        third.replyTo().tell(new NodeReply.Leased("n1", third.round(), 81, Long.MAX_VALUE, 0, 0));
        var run = n1.expectMessageClass(Node.Run.class);
        job.expectMessageClass(Job.AttemptRunning.class);
        run.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 81, 1, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        assertEquals(1, job.expectMessageClass(Job.TaskSucceeded.class).summary().attempts());
    }

    /**
     * The report of an attempt was lost: the task asks its node, which sends it again, or says the
     * lease lapsed once it no longer keeps it; the task then runs again, and the lost attempt does
     * not count.
     */
    @Test
    void shouldAskItsNodeHowAnAttemptWentWhenItHearsNothing() {
        checkEveryMs = 100;
        task(10);
        var run = leaseOnN1(91); // the node reports; the report is lost
        var check = n1.expectMessageClass(Node.CheckAttempt.class, Duration.ofSeconds(2));
        assertEquals(91, check.leaseId());
        check.replyTo().tell(new NodeReply.LeaseLapsed("n1", 91, "lease 91 on node 'n1' ended and its report was lost"));
        assertFalse(ended(2).counts());
        var run2 = leaseOnN1(92);
        assertEquals(2, run2.attempt().attempt());
        var check2 = n1.expectMessageClass(Node.CheckAttempt.class, Duration.ofSeconds(2));
        assertEquals(92, check2.leaseId());
        check2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 92, 2, TaskOutput.inline(TextNode.valueOf("ok")), 1));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals(1, done.summary().attempts());
        assertEquals(1, run.attempt().attempt());
        n1.expectNoMessage(Duration.ofMillis(300)); // done: no more checks
    }

    static Node.RequestOffer offerRequest(TestProbe<Node.Command> node) {
        return node.expectMessageClass(Node.RequestOffer.class);
    }

    static NodeReply.Offer offer(String node, TestProbe<Node.Command> ref, int round, double load) {
        return new NodeReply.Offer(node, ref.getRef(), round, 7, Long.MAX_VALUE, load, 0, 0, 1,
                ResourceRequest.cpus(4));
    }

    @Test
    void shouldRenegotiateOnDeclineLapseAndFailureThenSucceed() {
        task(10);
        // Round 1: n1 declines, n2 offers, then declines the acceptance (its offer expired).
        var r1 = offerRequest(n1);
        offerRequest(n2);
        r1.replyTo().tell(new NodeReply.Decline("n1", r1.round(), "busy"));
        r1.replyTo().tell(offer("n2", n2, r1.round(), 0.5));
        var accept = n2.expectMessageClass(Node.Accept.class);
        accept.replyTo().tell(new NodeReply.Decline("n2", accept.round(), "offer 7 expired"));
        // Round 2: both offer; the less loaded n1 wins, grants a lease, which lapses unused.
        var r2 = offerRequest(n1);
        offerRequest(n2);
        assertEquals(r1.round() + 1, r2.round());
        r2.replyTo().tell(offer("n1", n1, r2.round(), 0.9));
        r2.replyTo().tell(offer("n2", n2, r2.round(), 0.1));
        var accept2 = n2.expectMessageClass(Node.Accept.class);
        n1.expectMessageClass(Node.DeclineOffer.class); // the loser's offer stops counting toward its load
        accept2.replyTo().tell(new NodeReply.Leased("n2", accept2.round(), 11, Long.MAX_VALUE, 0, 0));
        n2.expectMessageClass(Node.Run.class);
        assertEquals(1, job.expectMessageClass(Job.AttemptRunning.class).attempt());
        accept2.replyTo().tell(new NodeReply.LeaseLapsed("n2", 11, "lease 11 was not used"));
        assertFalse(ended(2).counts());
        // Round 3: attempt 2 (the lapsed attempt 1 was withdrawn: it does not count, its number is not reused)
        // fails in the kernel.
        var r3 = offerRequest(n1);
        offerRequest(n2);
        r3.replyTo().tell(offer("n1", n1, r3.round(), 0));
        r3.replyTo().tell(offer("n2", n2, r3.round(), 0.5));
        var accept3 = n1.expectMessageClass(Node.Accept.class);
        n2.expectMessageClass(Node.DeclineOffer.class);
        accept3.replyTo().tell(new NodeReply.Leased("n1", accept3.round(), 12, Long.MAX_VALUE, 3, 0));
        var run = n1.expectMessageClass(Node.Run.class);
        assertEquals(2, run.attempt().attempt());
        assertEquals(3, job.expectMessageClass(Job.AttemptRunning.class).queueWaitMs());
        run.replyTo().tell(new NodeReply.AttemptFailed("n1", 12, 2, "kernel 'noop' failed: oops", 2));
        var failed = ended(3);
        assertTrue(failed.counts());
        assertEquals(2, failed.attempt());
        // Round 4: attempt 3 succeeds; a late success of the failed attempt 2 is ignored.
        var r4 = offerRequest(n1);
        offerRequest(n2);
        r4.replyTo().tell(offer("n1", n1, r4.round(), 0));
        r4.replyTo().tell(offer("n2", n2, r4.round(), 0.5));
        var accept4 = n1.expectMessageClass(Node.Accept.class);
        n2.expectMessageClass(Node.DeclineOffer.class);
        accept4.replyTo().tell(new NodeReply.Leased("n1", accept4.round(), 13, Long.MAX_VALUE, 0, 0));
        var run2 = n1.expectMessageClass(Node.Run.class);
        assertEquals(3, run2.attempt().attempt());
        job.expectMessageClass(Job.AttemptRunning.class);
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 13, 2, TaskOutput.inline(TextNode.valueOf("late")), 4));
        run2.replyTo().tell(new NodeReply.AttemptSucceeded("n1", 13, 3, TaskOutput.inline(TextNode.valueOf("done")), 4));
        var done = job.expectMessageClass(Job.TaskSucceeded.class);
        assertEquals("done", done.output().value().asText());
        assertEquals(3, done.attempt());
        assertEquals(2, done.summary().attempts());
        assertEquals("n1", done.summary().node());
        shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void shouldFailAfterMaxRoundsWithTheDeclineReasons() {
        task(3);
        for (int round = 1; round <= 3; round++) {
            var r = offerRequest(n1);
            offerRequest(n2);
            r.replyTo().tell(new NodeReply.Decline("n1", r.round(), "n1 draining"));
            r.replyTo().tell(new NodeReply.Decline("n2", r.round(), "n2 queue is full"));
        }
        var failed = job.expectMessageClass(Job.TaskFailed.class, Duration.ofSeconds(5));
        assertEquals("could not be placed after 3 negotiation rounds: n1 draining; n2 queue is full", failed.reason());
        assertEquals(0, failed.summary().attempts());
    }

    @Test
    void shouldIgnoreRepliesFromAnEarlierRound() {
        task(10);
        var r1 = offerRequest(n1);
        offerRequest(n2);
        r1.replyTo().tell(new NodeReply.Decline("n1", r1.round(), "no"));
        r1.replyTo().tell(new NodeReply.Decline("n2", r1.round(), "no"));
        var r2 = offerRequest(n1);
        offerRequest(n2);
        r2.replyTo().tell(offer("n1", n1, r1.round(), 0)); // stale: declined at once, never accepted
        assertEquals(7, n1.expectMessageClass(Node.DeclineOffer.class).offerId());
        r2.replyTo().tell(offer("n2", n2, r2.round(), 0));
        r2.replyTo().tell(new NodeReply.Decline("n1", r2.round(), "no"));
        assertTrue(n2.expectMessageClass(Node.Accept.class).round() == r2.round());
    }
}
