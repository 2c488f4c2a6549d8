package dev.colony.actors.task;

/**
 * How tasks negotiate. Read from {@code colony.task.*} by the runtime.
 *
 * @param offerTimeoutMs       how long a negotiation round waits for offers
 * @param maxRounds            negotiation rounds without an attempt before the task fails
 * @param backoffMinMs         first wait after a round that produced no lease
 * @param backoffMaxMs         longest wait between rounds
 * @param runGraceMs           beyond the attempt timeout, how long to wait for a silent node
 * @param seed                 seeds every task's random choices (with its key), so runs replay
 */
public record TaskSettings(long offerTimeoutMs, int maxRounds, long backoffMinMs, long backoffMaxMs, long runGraceMs,
                           long seed) {

    /** The defaults of {@code reference.conf}. */
    public static final TaskSettings DEFAULTS = new TaskSettings(2_000, 30, 10, 2_000, 5_000, 42);
}
