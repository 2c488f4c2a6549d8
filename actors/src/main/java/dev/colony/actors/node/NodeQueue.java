package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.job.ResourceRequest;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A node's accepted tasks waiting for resources, highest job priority first, then in arrival
 * order, with the cpus they ask for and their expected run time here in total. Owned by the node's
 * actor thread.
 */
final class NodeQueue {

    /** One accepted task waiting for its lease. */
    record Waiting(long seq, int priority, String taskKey, int round, ResourceRequest resources,
                   ActorRef<NodeReply> replyTo, long acceptedAtNs, double expectedMs) {
    }

    private final PriorityQueue<Waiting> queue = new PriorityQueue<>(
            Comparator.comparingInt(Waiting::priority).reversed().thenComparingLong(Waiting::seq));
    private final Map<String, Waiting> byTask = new HashMap<>();
    private final Map<String, Integer> byJob = new HashMap<>(); // job id → its tasks waiting here
    private double cpus;
    private double expectedMs;

    void add(Waiting w) {
        queue.add(w);
        byTask.put(w.taskKey(), w);
        byJob.merge(jobOf(w.taskKey()), 1, Integer::sum);
        cpus += w.resources().cpus();
        expectedMs += w.expectedMs();
    }

    /** Removes what {@code taskKey} has waiting here. */
    void remove(String taskKey) {
        Waiting w = byTask.get(taskKey);
        if (w != null && queue.remove(w)) {
            forget(w);
        }
    }

    /** Whether the Accept {@code replyTo} sent for {@code taskKey} in negotiation round {@code round} waits here. */
    boolean holds(String taskKey, int round, ActorRef<NodeReply> replyTo) {
        Waiting w = byTask.get(taskKey);
        return w != null && w.round() == round && w.replyTo().equals(replyTo);
    }

    Waiting peek() {
        return queue.peek();
    }

    Waiting poll() {
        Waiting w = queue.poll();
        if (w != null) {
            forget(w);
        }
        return w;
    }

    private void forget(Waiting w) {
        byTask.remove(w.taskKey(), w);
        byJob.computeIfPresent(jobOf(w.taskKey()), (k, n) -> n == 1 ? null : n - 1);
        cpus -= w.resources().cpus();
        expectedMs -= w.expectedMs();
    }

    /** Whether a task of job {@code jobId} waits here. */
    boolean holdsJob(String jobId) {
        return byJob.containsKey(jobId);
    }

    private static String jobOf(String taskKey) {
        return taskKey.substring(0, Math.max(taskKey.lastIndexOf('/'), 0));
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Cpus the waiting tasks ask for. */
    double cpus() {
        return cpus;
    }

    /** Expected run time here of the waiting tasks, in ms. */
    double expectedMs() {
        return Math.max(0, expectedMs);
    }
}
