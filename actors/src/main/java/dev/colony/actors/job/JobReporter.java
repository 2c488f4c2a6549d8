package dev.colony.actors.job;

/**
 * Told when a job is accepted and once when it ends, on the job entity's thread (so it must not
 * block): the runtime lists the job ({@link JobIndex}) and turns its end into a
 * {@link dev.colony.actors.monitor.JobRecord} for the learner. Not told again when a job recovers.
 */
@FunctionalInterface
public interface JobReporter {

    /** Reports nothing. */
    JobReporter NONE = (spec, result, policyVersion) -> {
    };

    /** Job {@code spec} ended with {@code result}, placed by policy version {@code policyVersion}. */
    void ended(JobSpec spec, JobResult result, long policyVersion);

    /** Job {@code spec} was accepted at {@code atMs}; by default nothing is told. */
    default void accepted(JobSpec spec, long atMs) {
    }
}
