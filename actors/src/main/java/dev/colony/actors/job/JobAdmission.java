package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;

/**
 * How a submission was decided, told before the job runs: accepted once its acceptance is in the
 * journal (so it survives any crash from then on), rejected with every problem named, or refused
 * because another submission holds its id (decided by the job's own entity, so two racing
 * submissions of one id never both get in).
 *
 * @param jobId   the submitted job's id
 * @param verdict what was decided
 * @param reason  why it was not accepted; null when it was
 */
public record JobAdmission(String jobId, Verdict verdict, String reason) implements CborSerializable {

    /** The three decisions. */
    public enum Verdict {
        /** Journalled: it will end Succeeded or Failed whatever crashes. */
        ACCEPTED,
        /** Invalid, or too large to send: it never starts. */
        REJECTED,
        /** Another submission already has the id. */
        ID_IN_USE,
        /** As many jobs already wait on the process as colony.jobs.max-queued allows: submit again later. */
        OVERLOADED
    }

    /** Job {@code jobId} is accepted. */
    public static JobAdmission accepted(String jobId) {
        return new JobAdmission(jobId, Verdict.ACCEPTED, null);
    }

    /** Tells the admission of {@code start}, if it has one, that its job is accepted. */
    static void accepted(Job.Start start) {
        if (start.admitted() != null) {
            start.admitted().tell(accepted(start.spec().id()));
        }
    }

    /**
     * Refuses {@code start} because another submission holds its id, for {@code reason}: told to its
     * admission, or (a Start without one) to its client as a Rejected result.
     */
    static void idInUse(Job.Start start, String reason, long nowMs) {
        String jobId = start.spec().id();
        if (start.admitted() != null) {
            start.admitted().tell(new JobAdmission(jobId, Verdict.ID_IN_USE, reason));
        } else {
            start.replyTo().tell(JobResult.rejected(jobId, reason, nowMs));
        }
    }

    /** Whether it was accepted. */
    public boolean isAccepted() {
        return verdict == Verdict.ACCEPTED;
    }
}
