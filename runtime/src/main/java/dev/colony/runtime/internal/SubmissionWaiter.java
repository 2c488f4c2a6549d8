package dev.colony.runtime.internal;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.colony.actors.job.JobAdmission;
import dev.colony.actors.job.JobResult;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

/**
 * Waits for one submission: completes {@code admission} with its {@link JobAdmission} and
 * {@code result} with its {@link JobResult}, then stops. A submission that is not accepted ends
 * Rejected with the admission's reason; a result that comes first (a job whose journal cannot be
 * read) decides the admission too. Both fail if the runtime stops first.
 */
public final class SubmissionWaiter extends AbstractOnMessageBehavior<Object> {

    /** A waiter for job {@code jobId}. */
    public static Behavior<Object> create(String jobId, CompletableFuture<JobAdmission> admission,
                                          CompletableFuture<JobResult> result, InstantSource clock) {
        return Behaviors.setup(ctx -> new SubmissionWaiter(ctx, jobId, admission, result, clock));
    }

    private final String jobId;
    private final CompletableFuture<JobAdmission> admission;
    private final CompletableFuture<JobResult> result;
    private final InstantSource clock;

    private SubmissionWaiter(ActorContext<Object> context, String jobId, CompletableFuture<JobAdmission> admission,
                             CompletableFuture<JobResult> result, InstantSource clock) {
        super(context);
        this.jobId = jobId;
        this.admission = admission;
        this.result = result;
        this.clock = clock;
    }

    @Override
    public Behavior<Object> onMessage(Object msg) {
        if (msg instanceof JobAdmission a) {
            admission.complete(a);
            if (!a.isAccepted()) {
                result.complete(JobResult.rejected(jobId, a.reason(), clock.millis()));
                return Behaviors.stopped();
            }
        } else if (msg instanceof JobResult r) {
            admission.complete(r.outcome() == JobResult.Outcome.REJECTED
                    ? new JobAdmission(jobId, JobAdmission.Verdict.REJECTED, r.reason()) : JobAdmission.accepted(jobId));
            result.complete(r);
            return Behaviors.stopped();
        }
        return this;
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
        if (signal instanceof PostStop) {
            IllegalStateException stopped = new IllegalStateException("Colony stopped before job '" + jobId
                    + "' ended");
            admission.completeExceptionally(stopped);
            result.completeExceptionally(stopped);
        }
        return this;
    }
}
