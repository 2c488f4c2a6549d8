package dev.colony.runtime;

import dev.colony.actors.job.JobAdmission;
import dev.colony.actors.job.JobResult;
import java.util.concurrent.CompletionStage;

/**
 * A decided submission ({@link Colony#accept}): its admission, and its result to come.
 *
 * @param admission accepted (journalled: it ends Succeeded or Failed whatever crashes), rejected or id in use
 * @param result    completes when the job ends; at once, Rejected, when it was not accepted
 */
public record Submission(JobAdmission admission, CompletionStage<JobResult> result) {

    /** Whether the job was accepted. */
    public boolean accepted() {
        return admission.isAccepted();
    }
}
