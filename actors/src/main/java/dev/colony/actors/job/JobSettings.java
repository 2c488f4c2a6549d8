package dev.colony.actors.job;

/**
 * How job entities journal and when they leave memory. Read from {@code colony.jobs.*} by the runtime.
 *
 * @param snapshotEvery          a job writes a snapshot of its state every this many events (keeps two);
 *                               0 = never
 * @param passivateFinishedAfterMs how long a finished job stays in memory for status queries; later
 *                               queries recover it from the journal
 */
public record JobSettings(int snapshotEvery, long passivateFinishedAfterMs) {

    /** Checks the values, naming the key. */
    public JobSettings {
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("colony.jobs.snapshot-every = " + snapshotEvery + " must be >= 0");
        }
        if (passivateFinishedAfterMs < 1) {
            throw new IllegalArgumentException("colony.jobs.passivate-finished-after must be positive");
        }
    }

    /** Snapshots every 1,000 events; finished jobs leave memory after 60 s. */
    public static final JobSettings DEFAULT = new JobSettings(1_000, 60_000);
}
