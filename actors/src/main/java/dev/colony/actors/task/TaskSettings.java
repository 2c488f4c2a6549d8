package dev.colony.actors.task;

/**
 * How tasks negotiate. Read from {@code colony.task.*} by the runtime.
 *
 * @param offerTimeoutMs       how long a negotiation round waits for offers
 * @param maxRounds            negotiation rounds without an attempt before the task fails
 * @param backoffMinMs         first wait after a round that produced no lease
 * @param backoffMaxMs         longest wait between rounds
 * @param runGraceMs           beyond the attempt timeout, how long to wait for a silent node
 * @param checkEveryMs         first wait before a task that heard nothing from its node since its
 *                             Accept or its lease asks again (then twice as long, up to 16 times)
 * @param seed                 seeds every task's random choices (with its key), so runs replay
 * @param localFirstWaitMs     a task whose policy places by load first asks only the nodes of its
 *                             own process, when some fit it and others elsewhere do too, and takes a
 *                             local offer that starts within this; otherwise it asks every fitting
 *                             node (0: always every fitting node)
 */
public record TaskSettings(long offerTimeoutMs, int maxRounds, long backoffMinMs, long backoffMaxMs, long runGraceMs,
                           long checkEveryMs, long seed, long localFirstWaitMs) {

    /** Checks values so that a bad setting fails at start with the key named. */
    public TaskSettings {
        if (checkEveryMs < 1) {
            throw new IllegalArgumentException("colony.task.check-every = " + checkEveryMs + " ms must be positive");
        }
        if (localFirstWaitMs < 0) {
            throw new IllegalArgumentException("colony.task.local-first-wait = " + localFirstWaitMs
                    + " ms must not be negative");
        }
    }

    /** The defaults of {@code reference.conf}. */
    public static final TaskSettings DEFAULTS = new TaskSettings(2_000, 30, 10, 2_000, 5_000, 2_000, 42, 20);
}
