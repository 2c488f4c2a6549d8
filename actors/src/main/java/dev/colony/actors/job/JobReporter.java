package dev.colony.actors.job;

/**
 * Told once when a job ends, on the job entity's thread (so it must not block): the runtime turns
 * it into a {@link dev.colony.actors.monitor.JobRecord} for the learner. Not told again when a
 * finished job recovers.
 */
@FunctionalInterface
public interface JobReporter {

    /** Reports nothing. */
    JobReporter NONE = (spec, result, policyVersion) -> {
    };

    /** Job {@code spec} ended with {@code result}, placed by policy version {@code policyVersion}. */
    void ended(JobSpec spec, JobResult result, long policyVersion);
}
