package dev.colony.actors.job;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import dev.colony.actors.JournalGuard;
import java.time.InstantSource;
import java.util.Map;

/** The job entity whose journal cannot be read: it answers, and other jobs are not affected. */
final class UnreadableJob {

    private UnreadableJob() {
    }

    /** What a job whose journal cannot be read answers: Failed, naming its persistence id. */
    static Behavior<Job.Command> create(String jobId, PersistenceId pid, Throwable cause, InstantSource clock) {
        String reason = "the journal of job '" + jobId + "' (persistence id " + pid.id() + ") cannot be read: "
                + JournalGuard.describe(cause);
        return Behaviors.receiveMessage(msg -> {
            switch (msg) {
                case Job.Start m -> JobAdmission.idInUse(m, "job id '" + jobId + "' is already in use and " + reason,
                        clock.millis());
                case Job.Watch m -> m.replyTo().tell(new JobResult(jobId, JobResult.Outcome.FAILED, reason, Map.of(),
                        Map.of(), Map.of(), 0, clock.millis()));
                case Job.GetStatus m -> m.replyTo().tell(new JobStatus(jobId, JobStatus.Phase.FAILED, reason, Map.of(),
                        0, clock.millis()));
                case Job.GetTasks m -> m.replyTo().tell(new JobStatus(jobId, JobStatus.Phase.FAILED, reason, Map.of(),
                        0, clock.millis(), Map.of(), new JobStatus.Page(m.state(), m.page(), m.size(), 0)));
                default -> {
                    // task reports and cancellations have nothing to act on
                }
            }
            return msg instanceof Job.HandOff ? Behaviors.stopped() : Behaviors.same();
        });
    }
}
