package dev.colony.actors.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When each of a node's leases meets its deadline: an unused lease lapses ({@link Kind#LEASE}), a
 * running kernel times out ({@link Kind#RUN}). One timer of the node's, set for the earliest
 * deadline, stands for all of them: it moves only when an earlier deadline comes, which tasks that
 * arrive in order rarely bring. A timer per lease cost a schedule and a cancel per task, 10 % of
 * the process's CPU under tiny tasks (JFR of JMH DurableDispatch). Monotonic time, so an injected
 * clock does not stop deadlines; owned by the node's actor thread.
 */
final class Deadlines {

    /** What a deadline ends. */
    enum Kind { LEASE, RUN }

    /** A deadline met. */
    record Due(long leaseId, Kind kind) {
    }

    private record Entry(long atNs, long leaseId, Kind kind) {
    }

    private final TreeSet<Entry> byTime = new TreeSet<>(Comparator.comparingLong(Entry::atNs)
            .thenComparingLong(Entry::leaseId));
    private final Map<Long, Entry> byLease = new HashMap<>();
    private final Consumer<Duration> arm;
    private final LongSupplier nanoTime;
    private long armedAtNs = Long.MAX_VALUE;

    /** Deadlines that call {@code arm} to (re)set the node's one timer to fire after the given delay. */
    Deadlines(Consumer<Duration> arm) {
        this(arm, System::nanoTime);
    }

    /** Deadlines on the monotonic time {@code nanoTime} (tests move it by hand). */
    Deadlines(Consumer<Duration> arm, LongSupplier nanoTime) {
        this.arm = arm;
        this.nanoTime = nanoTime;
    }

    /** Lease {@code leaseId} meets a deadline of {@code kind} in {@code afterMs} (replacing the one it had). */
    void set(long leaseId, Kind kind, long afterMs) {
        clear(leaseId);
        long now = nanoTime.getAsLong();
        Entry e = new Entry(now + afterMs * 1_000_000, leaseId, kind);
        byTime.add(e);
        byLease.put(leaseId, e);
        if (e.atNs() < armedAtNs) {
            armedAtNs = e.atNs();
            arm.accept(Duration.ofNanos(e.atNs() - now));
        }
    }

    /** Lease {@code leaseId} has no deadline any more (a timer set for it fires for the next one). */
    void clear(long leaseId) {
        Entry e = byLease.remove(leaseId);
        if (e != null) {
            byTime.remove(e);
        }
    }

    /** The timer fired: the deadlines met by now, earliest first; the timer is set for the next one. */
    List<Due> due() {
        long now = nanoTime.getAsLong();
        List<Due> due = new ArrayList<>();
        while (!byTime.isEmpty() && byTime.first().atNs() <= now) {
            Entry e = byTime.pollFirst();
            byLease.remove(e.leaseId());
            due.add(new Due(e.leaseId(), e.kind()));
        }
        armedAtNs = Long.MAX_VALUE;
        if (!byTime.isEmpty()) {
            armedAtNs = byTime.first().atNs();
            arm.accept(Duration.ofNanos(armedAtNs - now));
        }
        return due;
    }

    /** Leases with a deadline. */
    int size() {
        return byLease.size();
    }
}
