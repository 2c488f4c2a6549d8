package dev.colony.actors.policy;

import java.util.Comparator;
import java.util.Locale;

/**
 * The order in which a node starts the tasks waiting in its queue: a gene of the evolved policy
 * and a setting of the fixed ones. Ties always fall back to arrival order, so runs replay.
 */
public enum TaskOrdering {
    /** First come, first served. */
    FIFO,
    /** The task with the least expected run time first. */
    SHORTEST_FIRST,
    /** The task with the longest expected path to the end of its job first (upward rank). */
    CRITICAL_PATH_FIRST,
    /** The task with the highest declared priority first. */
    PRIORITY;

    /**
     * What a node knows of a waiting task.
     *
     * @param arrival      arrival sequence number at the node
     * @param expectedRun  expected run time on this node
     * @param upwardRank   expected time from its start to the end of its job
     * @param priority     declared priority, higher first
     */
    public record Waiting(long arrival, double expectedRun, double upwardRank, int priority) {
    }

    /** Orders waiting tasks: the first one runs next. */
    public Comparator<Waiting> comparator() {
        Comparator<Waiting> fifo = Comparator.comparingLong(Waiting::arrival);
        return switch (this) {
            case FIFO -> fifo;
            case SHORTEST_FIRST -> Comparator.comparingDouble(Waiting::expectedRun).thenComparing(fifo);
            case CRITICAL_PATH_FIRST -> Comparator.comparingDouble(Waiting::upwardRank).reversed().thenComparing(fifo);
            case PRIORITY -> Comparator.comparingInt(Waiting::priority).reversed().thenComparing(fifo);
        };
    }

    /** Settings name, e.g. {@code critical-path-first}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
