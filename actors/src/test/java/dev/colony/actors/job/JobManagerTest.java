package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
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
    static ActorRef<JobManager.Command> manager(TestProbe<Job.Command> job, JobManager.StartLimit limit) {
        var nodes = NodeView.of(List.of(new NodeDescriptor("n1", KIT.createTestProbe(Node.Command.class).getRef(),
                ResourceRequest.cpus(4), 1)));
        var validator = new JobValidator(KernelRegistry.of(new NoopKernel()), JobLimits.DEFAULTS);
        return KIT.spawn(JobManager.create(validator, nodes, id -> job.getRef(), () -> 3, InstantSource.system(),
                Duration.ofMillis(100), limit));
    }

    /** A Start lost on its way is sent again, the same submission, until the job's result came back. */
    @Test
    void shouldSendAStartAgainUntilItsClientHearsBack() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, JobManager.StartLimit.NONE);
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
        var manager = manager(job, JobManager.StartLimit.NONE);
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
                JobManager.StartLimit.NONE, admission));
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

    /** A job whose Start could not reach another member is rejected with the limit's reason, and not sent. */
    @Test
    void shouldRejectAJobTheLimitSaysIsTooLarge() {
        TestProbe<Job.Command> job = KIT.createTestProbe(Job.Command.class);
        var manager = manager(job, start -> "job '" + start.spec().id() + "' is too large");
        TestProbe<JobResult> client = KIT.createTestProbe(JobResult.class);
        manager.tell(new JobManager.SubmitJob(JobSpec.of("huge", List.of(TaskSpec.of("t", "noop", Map.of()))),
                client.getRef()));
        JobResult r = client.expectMessageClass(JobResult.class);
        assertEquals(JobResult.Outcome.REJECTED, r.outcome());
        assertEquals("job 'huge' is too large", r.reason());
        job.expectNoMessage(Duration.ofMillis(300));
    }
}
