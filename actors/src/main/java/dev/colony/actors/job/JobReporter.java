package dev.colony.actors.job;

/**
 * Told when a job is accepted and once when it ends, on the job entity's thread (so it must not
 * block): the runtime lists the job ({@link JobIndex}) and turns its end into a
 * {@link dev.colony.actors.monitor.JobRecord} for the learner. Not told again when a job recovers.
 * Also told when a job's entity is loaded into this process's memory and when it leaves it, so
 * retention need not wake a job that is not in memory to make it forget.
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

    /** The entity of job {@code jobId} starts in this process (before it recovers); by default nothing is told. */
    default void loaded(String jobId) {
    }

    /** The entity of job {@code jobId} stopped in this process (passivated, handed off); by default nothing is told. */
    default void unloaded(String jobId) {
    }
}
