package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.job.ResourceRequest;

/**
 * A lease a node granted, with what it expects of the task: mutable because it moves from granted
 * to running on the node actor's thread, which alone touches it.
 */
final class Grant {
    String taskKey; // changes once, when a lease handed on is taken by the job's next task
    String handedTo; // the job whose next task may take this lease; null once taken (or never handed on)
    int reuses; // attempts run under this lease before, by the same job's tasks
    int priority; // of the job that waited for it
    final int round;
    final ResourceRequest resources;
    final double expectedMs;
    final long queueWaitMs;
    final long expiresAtMs;
    final long grantedAtMs;
    ActorRef<NodeReply> replyTo;
    Attempt attempt;
    KernelRun<Node.Command> running;
    long startedAtMs;

    Grant(String taskKey, int round, ResourceRequest resources, ActorRef<NodeReply> replyTo, double expectedMs,
          long queueWaitMs, long grantedAtMs, long expiresAtMs) {
        this.taskKey = taskKey;
        this.round = round;
        this.resources = resources;
        this.replyTo = replyTo;
        this.expectedMs = expectedMs;
        this.queueWaitMs = queueWaitMs;
        this.expiresAtMs = expiresAtMs;
        this.grantedAtMs = grantedAtMs;
    }

    /** The Leased message that told the task of this lease, {@code leaseId} on node {@code nodeName}. */
    NodeReply.Leased leased(String nodeName, long leaseId) {
        return new NodeReply.Leased(nodeName, round, leaseId, expiresAtMs, queueWaitMs, grantedAtMs);
    }
}
