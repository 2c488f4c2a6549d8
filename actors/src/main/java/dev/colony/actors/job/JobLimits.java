package dev.colony.actors.job;

/**
 * Limits and defaults applied when a job is accepted. Read from {@code colony.jobs.*} by the
 * runtime; see its {@code reference.conf}.
 *
 * @param maxTasks           most tasks one job may have
 * @param defaultMaxAttempts attempts a task gets when its spec names none
 * @param maxAttempts        highest {@code maxAttempts} a task may ask for
 * @param defaultTimeoutMs   attempt timeout when a task names none
 * @param maxTimeoutMs       longest attempt timeout a task may ask for
 * @param minCpus            fewest cpus a task may ask for, so that a node's cpus bound how many
 *                           tasks run on it at once
 * @param json               how large and deep a spec's JSON, and a task's parameters, may be
 */
public record JobLimits(int maxTasks, int defaultMaxAttempts, int maxAttempts, long defaultTimeoutMs,
                        long maxTimeoutMs, double minCpus, JsonLimits json) {

    /** Checks the values, naming the key. */
    public JobLimits {
        if (!(minCpus > 0 && minCpus <= 1)) {
            throw new IllegalArgumentException("colony.jobs.min-cpus = " + minCpus + " must lie in (0, 1]");
        }
    }

    /** Limits with the default minimum cpus and JSON limits. */
    public JobLimits(int maxTasks, int defaultMaxAttempts, int maxAttempts, long defaultTimeoutMs, long maxTimeoutMs) {
        this(maxTasks, defaultMaxAttempts, maxAttempts, defaultTimeoutMs, maxTimeoutMs, DEFAULT_MIN_CPUS,
                JsonLimits.DEFAULTS);
    }

    /** The default of {@code colony.jobs.min-cpus}. */
    public static final double DEFAULT_MIN_CPUS = 0.01;

    /** Largest cpus one task may ask for. */
    public static final double MAX_CPUS = 4096;
    /** Largest memory one task may ask for: 1 PiB. */
    public static final long MAX_MEMORY_BYTES = 1L << 50;
    /** Largest GPU count one task may ask for. */
    public static final int MAX_GPUS = 64;
    /** Largest GPU memory one task may ask for: 16 TiB. */
    public static final long MAX_GPU_MEMORY_BYTES = 1L << 44;
    /** Priorities lie in [-MAX_PRIORITY, MAX_PRIORITY]. */
    public static final int MAX_PRIORITY = 1_000_000;
    /** Longest job or task id. */
    public static final int MAX_ID_LENGTH = 200;
    /** Most labels on one job. */
    public static final int MAX_LABELS = 64;

    /** The defaults of {@code reference.conf}. */
    public static final JobLimits DEFAULTS = new JobLimits(100_000, 3, 100, 600_000, 7L * 24 * 3600 * 1000);
}
