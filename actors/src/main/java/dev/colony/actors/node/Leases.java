package dev.colony.actors.node;

import dev.colony.actors.Traffic;
import dev.colony.actors.job.ResourceRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's leases: the live ones by id and by task with the resources they reserve, and for a
 * while after one ends, the report the node sent its task. Messages between members can be lost
 * (Artery drops what overflows its send queue), so a task that heard nothing asks again and gets
 * the same report. Owned by the node's actor thread.
 */
final class Leases {

    /** Most ended leases whose reports are kept, however recent (bounds memory at high task rates). */
    static final int MAX_KEPT_REPORTS = 100_000;

    private record Sent(NodeReply report, long atMs) {
    }

    private final long keepReportsMs;
    private final Map<Long, Grant> live = new HashMap<>();
    private final Map<String, Long> byTask = new HashMap<>();
    private final LinkedHashMap<Long, Sent> ended = new LinkedHashMap<>(); // oldest first
    private ResourceRequest reserved = ResourceRequest.NONE;
    private int running; // live leases whose kernel runs

    /** Leases whose reports are kept for {@code keepReportsMs} after they end. */
    Leases(long keepReportsMs) {
        this.keepReportsMs = keepReportsMs;
    }

    void grant(long leaseId, Grant g) {
        live.put(leaseId, g);
        byTask.put(g.taskKey, leaseId);
        reserved = reserved.plus(g.resources);
    }

    /** The live lease {@code leaseId}, or null. */
    Grant get(long leaseId) {
        return live.get(leaseId);
    }

    /** The id of the live lease {@code taskKey} holds, or null. */
    Long ofTask(String taskKey) {
        return byTask.get(taskKey);
    }

    /** The kernel of live lease {@code g} starts as {@code run}. */
    void running(Grant g, KernelRun<Node.Command> run) {
        if (g.running == null) {
            running++;
        }
        g.running = run;
    }

    /** Live leases whose kernel runs. */
    int running() {
        return running;
    }

    /** Lease {@code leaseId}, handed on, is taken by task {@code taskKey}. */
    void takenBy(long leaseId, String taskKey) {
        Grant g = live.get(leaseId);
        byTask.remove(g.taskKey, leaseId);
        g.taskKey = taskKey;
        g.handedTo = null;
        byTask.put(taskKey, leaseId);
    }

    /** Ends lease {@code leaseId}: its resources are free again. Returns it, or null if it was not live. */
    Grant release(long leaseId) {
        Grant g = live.remove(leaseId);
        if (g != null) {
            running -= g.running != null ? 1 : 0;
            reserved = reserved.minus(g.resources);
            byTask.remove(g.taskKey, leaseId);
        }
        return g;
    }

    /** Ends lease {@code leaseId} with {@code report}, which its task is sent and may ask for again. */
    Grant end(long leaseId, NodeReply report, long nowMs) {
        Grant g = release(leaseId);
        ended.put(leaseId, new Sent(report, nowMs));
        forgetOld(nowMs);
        return g;
    }

    /**
     * Whether {@code m} repeats the Accept of a live lease (its task heard nothing): if the lease is
     * unused, the task of node {@code nodeName} is told of it again.
     */
    boolean leasedAgain(Node.Accept m, String nodeName) {
        Long lease = byTask.get(m.taskKey());
        Grant g = lease == null ? null : live.get(lease);
        if (g == null || g.round != m.round() || !g.replyTo.equals(m.replyTo())) {
            return false;
        }
        if (g.running == null) {
            Traffic.tell(m.replyTo(), g.leased(nodeName, lease));
        }
        return true;
    }

    /**
     * Answers a task of node {@code nodeName} that asks how its attempt went: the report again once
     * the lease has ended (LeaseLapsed when it is no longer kept); nothing while it is live, as its
     * end will be reported.
     */
    void answer(Node.CheckAttempt m, String nodeName, long nowMs) {
        if (live.containsKey(m.leaseId())) {
            return;
        }
        forgetOld(nowMs);
        Sent s = ended.get(m.leaseId());
        Traffic.tell(m.replyTo(), s != null ? s.report() : new NodeReply.LeaseLapsed(nodeName, m.leaseId(), "lease "
                + m.leaseId() + " on node '" + nodeName + "' ended and its report was lost"));
    }

    private void forgetOld(long nowMs) {
        Iterator<Sent> it = ended.values().iterator();
        while (it.hasNext()) {
            Sent s = it.next();
            if (ended.size() <= MAX_KEPT_REPORTS && s.atMs() >= nowMs - keepReportsMs) {
                break;
            }
            it.remove();
        }
    }

    /** Resources the live leases hold. */
    ResourceRequest reserved() {
        return reserved;
    }

    Collection<Grant> all() {
        return live.values();
    }

    List<Long> ids() {
        return List.copyOf(live.keySet());
    }

    int size() {
        return live.size();
    }

    boolean isEmpty() {
        return live.isEmpty();
    }
}
