package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.job.ResourceRequest;

/**
 * A lease a node granted, with what it expects of the task: mutable because it moves from granted
 * to running on the node actor's thread, which alone touches it.
 */
final class Grant {
    final String taskKey;
    final ResourceRequest resources;
    final double expectedMs;
    final long queueWaitMs;
    ActorRef<NodeReply> replyTo;
    Attempt attempt;
    KernelRun<Node.Command> running;
    long startedAtMs;

    Grant(String taskKey, ResourceRequest resources, ActorRef<NodeReply> replyTo, double expectedMs,
          long queueWaitMs) {
        this.taskKey = taskKey;
        this.resources = resources;
        this.replyTo = replyTo;
        this.expectedMs = expectedMs;
        this.queueWaitMs = queueWaitMs;
    }
}
