package dev.colony.actors.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A process's admission control for the jobs it hosts: at most {@code maxRunning} of them send
 * tasks out at once; the others wait {@code QUEUED} (accepted, journalled) in order of priority,
 * then arrival, and are admitted as running ones end; beyond {@code maxQueued} waiting, new
 * submissions to this process are refused (HTTP 429) rather than let pile up. The running jobs
 * share a budget of {@code maxTasksOut} tasks out: the jobs of the highest priority present split
 * it evenly, the others keep one task out each (overload slows a job, never fails it). Shared by
 * every job entity of the process, so its methods are synchronized; admitting callbacks run
 * outside the lock.
 */
public final class Admission {

    /** No limits: every job runs at once with its whole window (tests, and embedders that want none). */
    public static final Admission UNLIMITED = new Admission(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private record Waiting(String jobId, int priority, long seq, Runnable admit) {
    }

    private final int maxRunning;
    private final int maxQueued;
    private final int maxTasksOut;
    private final Map<String, Integer> running = new HashMap<>(); // job id → priority
    private final TreeSet<Waiting> queued = new TreeSet<>(Comparator.comparingInt(Waiting::priority).reversed()
            .thenComparingLong(Waiting::seq));
    private long seq;

    /** Limits named by colony.jobs.max-running, .max-queued and .max-tasks-out. */
    public Admission(int maxRunning, int maxQueued, int maxTasksOut) {
        if (maxRunning < 1 || maxQueued < 0 || maxTasksOut < 1) {
            throw new IllegalArgumentException("colony.jobs.max-running = " + maxRunning + " and .max-tasks-out = "
                    + maxTasksOut + " must be at least 1, .max-queued = " + maxQueued + " at least 0");
        }
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
        this.maxTasksOut = maxTasksOut;
    }

    /**
     * Job {@code jobId} of {@code priority} wants to send tasks out: true if it may now; else it
     * waits, and {@code admit} runs once it may.
     */
    public synchronized boolean enter(String jobId, int priority, Runnable admit) {
        if (running.containsKey(jobId)) {
            return true;
        }
        queued.removeIf(w -> w.jobId().equals(jobId));
        if (running.size() < maxRunning && queued.isEmpty()) {
            running.put(jobId, priority);
            return true;
        }
        queued.add(new Waiting(jobId, priority, seq++, admit));
        admitWaiting().forEach(Runnable::run); // a slot may be free behind a queue of higher priority
        return running.containsKey(jobId);
    }

    /** Job {@code jobId} ended or left this process: the next waiting ones may run. */
    public void leave(String jobId) {
        List<Runnable> admitted;
        synchronized (this) {
            running.remove(jobId);
            queued.removeIf(w -> w.jobId().equals(jobId));
            admitted = admitWaiting();
        }
        admitted.forEach(Runnable::run);
    }

    private List<Runnable> admitWaiting() {
        List<Runnable> admitted = new ArrayList<>();
        while (running.size() < maxRunning && !queued.isEmpty()) {
            Waiting w = queued.pollFirst();
            running.put(w.jobId(), w.priority());
            admitted.add(w.admit());
        }
        return admitted;
    }

    /** How many tasks job {@code jobId} may have out now: its share of the budget (0 while it waits). */
    public synchronized int share(String jobId) {
        Integer p = running.get(jobId);
        if (p == null) {
            return 0;
        }
        int top = running.values().stream().mapToInt(Integer::intValue).max().orElse(p);
        if (p < top) {
            return 1;
        }
        long peers = running.values().stream().filter(v -> v == top).count();
        return (int) Math.max(1, maxTasksOut / peers);
    }

    /**
     * Why this process takes no more jobs now (as many wait as colony.jobs.max-queued allows), or
     * null when it does.
     */
    public synchronized String full() {
        return running.size() < maxRunning || queued.size() < maxQueued ? null : queued.size() + " jobs already "
                + "wait on this process to run (colony.jobs.max-queued = " + maxQueued + ", with "
                + "colony.jobs.max-running = " + maxRunning + " running): submit again later";
    }

    /** Jobs waiting to run. */
    public synchronized int waiting() {
        return queued.size();
    }
}
