package dev.colony.runtime.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The finished jobs this process keeps in memory (each passivates after
 * colony.jobs.passivate-finished-after, so that a status query right after the end is answered at
 * once), bounded by their tasks: past {@code maxTasks} in all, the oldest are told to passivate now
 * (a later query recovers one from the journal). Without the bound the heap grew with the job
 * rate: JMH DurableDispatch kept ~900 finished 1,000-task jobs, ~1 GB, and young pauses reached
 * 225 ms. Told by the job entities of this process (through the job reporter), so synchronized;
 * {@code forget} runs outside the lock.
 */
final class FinishedJobs {

    private final long maxTasks;
    private final Consumer<String> forget;
    private final Map<String, Integer> kept = new LinkedHashMap<>(); // job id → its tasks, oldest first
    private long tasks;

    /** Keeps at most {@code maxTasks} tasks of finished jobs; {@code forget} passivates a job by id. */
    FinishedJobs(long maxTasks, Consumer<String> forget) {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("colony.jobs.finished-tasks-in-memory = " + maxTasks
                    + " must be at least 0");
        }
        this.maxTasks = maxTasks;
        this.forget = forget;
    }

    /** Job {@code jobId} of {@code taskCount} tasks finished in this process's memory. */
    void finished(String jobId, int taskCount) {
        List<String> over = new ArrayList<>();
        synchronized (this) {
            Integer before = kept.put(jobId, taskCount);
            tasks += taskCount - (before == null ? 0 : before);
            Iterator<Map.Entry<String, Integer>> it = kept.entrySet().iterator();
            while (tasks > maxTasks && it.hasNext()) {
                Map.Entry<String, Integer> oldest = it.next();
                tasks -= oldest.getValue();
                over.add(oldest.getKey());
                it.remove();
            }
        }
        over.forEach(forget);
    }

    /** Job {@code jobId} left this process's memory (passivated, handed off or stopped). */
    synchronized void unloaded(String jobId) {
        Integer n = kept.remove(jobId);
        if (n != null) {
            tasks -= n;
        }
    }

    /** Tasks of the finished jobs kept. */
    synchronized long tasks() {
        return tasks;
    }
}
