package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.kernel.NoopKernel;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeView;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The job manager against a scripted job entity (a probe). */
class JobManagerTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** A manager of one node's view that resends every 100 ms, assigns policy version 3, and sends Starts to {@code job}. */
    static ActorRef<JobManager.Command> manager(TestProbe<Job.Command> job, JobManager.StartParts parts) {
        var nodes = NodeView.of(List.of(new NodeDescriptor("n1", KIT.createTestProbe(Node.Command.class).getRef(),
                ResourceRequest.cpus(4), 1)));
        var validator = new JobValidator(KernelRegistry.of(new NoopKernel()), JobLimits.DEFAULTS);
        return KIT.spawn(JobManager.create(validator, nodes, id -> job.getRef(), () -> 3, InstantSource.system(),
                Duration.ofMillis(100), parts));
    }

    /** A Start lost on its way is sent again, the same submission, until the job's result came back. */
    @Test
    void shouldSendAStartAgainUntilItsClientHearsBack() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, JobManager.StartParts.WHOLE);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        manager.tell(new JobManager.SubmitJob(JobSpec.of("j", List.of(TaskSpec.of("t", "noop", Map.of()))),
                client.getRef()));
        var first = job.expectMessageClass(Job.Start.class); // lost: the job never heard of it
        assertEquals(3, first.policyVersion());
        assertEquals(first, job.expectMessageClass(Job.Start.class, Duration.ofSeconds(2)));
        assertEquals(first, job.expectMessageClass(Job.Start.class, Duration.ofSeconds(2)));
        first.replyTo().tell(JobResult.rejected("j", "ended", 1)); // the job ends
        assertEquals("ended", client.expectMessageClass(JobResult.class).reason());
        try {
            job.receiveMessage(Duration.ofMillis(150)); // one resend may cross with the client's end
        } catch (AssertionError noneCrossed) {
            // none did
        }
        job.expectNoMessage(Duration.ofMillis(400));
    }

    /**
     * The admission passes through the manager: an accepted one keeps the Start going until the
     * result, a refused one (its id in use) ends the resending at once.
     */
    @Test
    void shouldPassTheAdmissionOnAndStopResendingARefusedJob() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, JobManager.StartParts.WHOLE);
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<JobAdmission> admitted = KIT.createTestProbe(JobAdmission.class);
        manager.tell(new JobManager.SubmitJob(JobSpec.of("taken", List.of(TaskSpec.of("t", "noop", Map.of()))),
                client.getRef(), admitted.getRef()));
        var start = job.expectMessageClass(Job.Start.class);
        start.admitted().tell(new JobAdmission("taken", JobAdmission.Verdict.ID_IN_USE, "in use"));
        assertEquals(JobAdmission.Verdict.ID_IN_USE, admitted.receiveMessage().verdict());
        try {
            job.receiveMessage(Duration.ofMillis(150)); // one resend may cross with the refusal
        } catch (AssertionError noneCrossed) {
            // none did
        }
        job.expectNoMessage(Duration.ofMillis(400));
        client.expectNoMessage(Duration.ofMillis(50));
    }

    /**
     * Overload: while as many jobs wait on the process as colony.jobs.max-queued allows, a submission
     * is refused as OVERLOADED (429 over HTTP), or rejected naming the limit when embedded; not sent.
     */
    @Test
    void shouldRefuseSubmissionsWhileTheQueueIsFull() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var admission = new Admission(1, 0, 100);
        admission.enter("running", 0, () -> { });
        var nodes = NodeView.of(List.of(new NodeDescriptor("n1", KIT.createTestProbe(Node.Command.class).getRef(),
                ResourceRequest.cpus(4), 1)));
        var manager = KIT.spawn(JobManager.create(new JobValidator(KernelRegistry.of(new NoopKernel()),
                JobLimits.DEFAULTS), nodes, id -> job.getRef(), () -> 3, InstantSource.system(), Duration.ofMillis(100),
                JobManager.StartParts.WHOLE, admission));
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        TestProbe<JobAdmission> admitted = KIT.createTestProbe(JobAdmission.class);
        var spec = JobSpec.of("more", List.of(TaskSpec.of("t", "noop", Map.of())));
        manager.tell(new JobManager.SubmitJob(spec, client.getRef(), admitted.getRef()));
        var a = admitted.receiveMessage();
        assertEquals(JobAdmission.Verdict.OVERLOADED, a.verdict());
        manager.tell(new JobManager.SubmitJob(spec, client.getRef()));
        var r = client.expectMessageClass(JobResult.class);
        assertEquals(JobResult.Outcome.REJECTED, r.outcome());
        assertTrue(r.reason().contains("colony.jobs.max-queued = 0"), r.reason());
        job.expectNoMessage(Duration.ofMillis(200));
        admission.leave("running");
        manager.tell(new JobManager.SubmitJob(spec, client.getRef(), admitted.getRef()));
        job.expectMessageClass(Job.Start.class); // room again
    }

    /** A job whose tasks cannot be cut into parts that reach another member is rejected with the reason, and not sent. */
    @Test
    void shouldRejectAJobThatCannotBeCutIntoParts() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, start -> {
            throw new IllegalArgumentException("task 't' of job '" + start.spec().id() + "' is too large");
        });
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        manager.tell(new JobManager.SubmitJob(JobSpec.of("huge", List.of(TaskSpec.of("t", "noop", Map.of()))),
                client.getRef()));
        JobResult r = client.expectMessageClass(JobResult.class);
        assertEquals(JobResult.Outcome.REJECTED, r.outcome());
        assertEquals("task 't' of job 'huge' is too large", r.reason());
        job.expectNoMessage(Duration.ofMillis(300));
    }

    /**
     * A job cut into parts: its Start (without tasks) and every part go out, again until the job is
     * accepted, then the Start alone (a watch); a result in parts reaches the client whole.
     */
    @Test
    void shouldSendAStartInPartsUntilItsJobIsAccepted() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, start -> List.of(start.spec().tasks().subList(0, 1), start.spec().tasks().subList(1, 3)));
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        List<TaskSpec> tasks = List.of(TaskSpec.of("a", "noop", Map.of()), TaskSpec.of("b", "noop", Map.of()),
                TaskSpec.of("c", "noop", Map.of()));
        manager.tell(new JobManager.SubmitJob(JobSpec.of("parted", tasks), client.getRef()));
        for (int round = 0; round < 2; round++) { // sent, and sent again
            var start = job.expectMessageClass(Job.Start.class, Duration.ofSeconds(2));
            assertEquals(2, start.parts());
            assertEquals(List.of(), start.spec().tasks());
            var first = job.expectMessageClass(Job.StartPart.class);
            var second = job.expectMessageClass(Job.StartPart.class);
            assertEquals(List.of(0, 1), List.of(first.index(), second.index()));
            assertEquals(List.of("a", "b", "c"), java.util.stream.Stream.concat(first.tasks().stream(),
                    second.tasks().stream()).map(TaskSpec::id).toList());
            assertEquals(start.submission(), second.submission());
        }
        var start = job.expectMessageClass(Job.Start.class, Duration.ofSeconds(2));
        start.admitted().tell(JobAdmission.accepted("parted"));
        for (int resend = 0; resend < 2; resend++) { // the first may have left before the acceptance
            job.fishForMessage(Duration.ofSeconds(2), m -> m instanceof Job.Start s && s.parts() == 2
                    ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        }
        job.expectNoMessage(Duration.ofMillis(50)); // no parts after the Start once accepted
        var whole = new JobResult("parted", JobResult.Outcome.SUCCEEDED, null, Map.of(), Map.of(),
                Map.of("a", TaskSummary.PENDING, "b", TaskSummary.PENDING), 1, 2);
        var half = new JobResult("parted", JobResult.Outcome.SUCCEEDED, null, Map.of(), Map.of(),
                Map.of("b", TaskSummary.PENDING), 1, 2);
        start.replyTo().<Object>unsafeUpcast().tell(new ResultParts.Part("parted", 1, 2, half));
        client.expectNoMessage(Duration.ofMillis(100));
        start.replyTo().<Object>unsafeUpcast().tell(new ResultParts.Part("parted", 0, 2, new JobResult("parted",
                JobResult.Outcome.SUCCEEDED, null, Map.of(), Map.of(), Map.of("a", TaskSummary.PENDING), 1, 2)));
        assertEquals(whole, client.expectMessageClass(JobResult.class));
    }
}
