package dev.colony.runtime.internal;

import dev.colony.actors.job.JobLimits;
import java.util.LinkedHashSet;

/**
 * The ids of the latest jobs submitted through one runtime, at most {@value #CAPACITY} (the oldest
 * go first): they may exist before the job list has heard of them. Ids no job can have (over
 * {@link JobLimits#MAX_ID_LENGTH}) are not kept. Thread-safe.
 */
public final class RecentIds {

    /** How many ids are kept. */
    static final int CAPACITY = 10_000;

    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    /** Remembers {@code id}, forgetting the oldest past the capacity. */
    public synchronized void add(String id) {
        if (id == null || id.length() > JobLimits.MAX_ID_LENGTH) {
            return;
        }
        ids.add(id);
        if (ids.size() > CAPACITY) {
            ids.removeFirst();
        }
    }

    /** Whether {@code id} is among them. */
    public synchronized boolean contains(String id) {
        return ids.contains(id);
    }
}
