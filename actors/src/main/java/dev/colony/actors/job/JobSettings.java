package dev.colony.actors.job;

/**
 * How job entities journal and when they leave memory. Read from {@code colony.jobs.*} by the runtime.
 *
 * @param snapshotEvery          a job writes a snapshot of its state every this many events (keeps two);
 *                               0 = never
 * @param passivateFinishedAfterMs how long a finished job stays in memory for status queries; later
 *                               queries recover it from the journal
 * @param redeliverEveryMs       a running job sends its unfinished tasks their Execute again this
 *                               often, so a task whose entity was lost with a cluster member
 *                               restarts from its journal elsewhere (a live one ignores it)
 * @param maxOutputReruns        how often one task may be run again because its output was lost
 *                               (its node died before every reader had it); the job fails after that
 */
public record JobSettings(int snapshotEvery, long passivateFinishedAfterMs, long redeliverEveryMs,
                          int maxOutputReruns) {

    /** Checks the values, naming the key. */
    public JobSettings {
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("colony.jobs.snapshot-every = " + snapshotEvery + " must be >= 0");
        }
        if (maxOutputReruns < 0) {
            throw new IllegalArgumentException("colony.jobs.max-output-reruns = " + maxOutputReruns + " must be >= 0");
        }
        if (passivateFinishedAfterMs < 1 || redeliverEveryMs < 1) {
            throw new IllegalArgumentException("colony.jobs.passivate-finished-after and colony.jobs.redeliver-every "
                    + "must be positive");
        }
    }

    /** Settings that run a task again at most 3 times for lost outputs. */
    public JobSettings(int snapshotEvery, long passivateFinishedAfterMs, long redeliverEveryMs) {
        this(snapshotEvery, passivateFinishedAfterMs, redeliverEveryMs, 3);
    }

    /** Settings that redeliver every 30 s. */
    public JobSettings(int snapshotEvery, long passivateFinishedAfterMs) {
        this(snapshotEvery, passivateFinishedAfterMs, 30_000);
    }

    /** Snapshots every 1,000 events; finished jobs leave memory after 60 s; redelivery every 30 s; 3 reruns. */
    public static final JobSettings DEFAULT = new JobSettings(1_000, 60_000, 30_000, 3);
}
