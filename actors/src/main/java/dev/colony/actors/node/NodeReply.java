package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.util.List;

/**
 * Everything a {@link Node} says back to a negotiating task. Each reply echoes the negotiation
 * {@code round} or the {@code leaseId} so the task can drop replies that arrive late.
 */
public sealed interface NodeReply extends Task.Command {

    /**
     * A non-binding offer to run the task; accept it before {@code validUntilMs}.
     *
     * @param queued          accepted tasks waiting for resources on this node
     * @param load            (reserved + queued cpus) / capacity cpus
     * @param expectedWaitMs  the node's estimate of the wait before the task would start
     * @param free            the node's capacity not held by leases now (the simulator knows no memory: 0)
     */
    record Offer(String nodeName, ActorRef<Node.Command> node, int round, long offerId, long validUntilMs,
                 double load, int queued, long expectedWaitMs, double speedFactor, ResourceRequest free)
            implements NodeReply {
    }

    /** The node will not run the task (in this round): {@code reason} says why. */
    record Decline(String nodeName, int round, String reason) implements NodeReply {
    }

    /**
     * Resources are reserved for the task since {@code grantedAtMs} until {@code expiresAtMs}; send
     * {@code Run} before then.
     */
    record Leased(String nodeName, int round, long leaseId, long expiresAtMs, long queueWaitMs, long grantedAtMs)
            implements NodeReply {
    }

    /** The lease ended before the task ran (it was not used in time, or the node is stopping). */
    record LeaseLapsed(String nodeName, long leaseId, String reason) implements NodeReply {
    }

    /**
     * The kernel returned {@code output} (inline or stored) after {@code runMs} on the kernel
     * dispatcher.
     *
     * @param nextLease a lease on the same resources the node keeps for the job's next task (it
     *                  ends unused after colony.node.lease-reuse.idle); -1: none
     */
    record AttemptSucceeded(String nodeName, long leaseId, int attempt, TaskOutput output, long runMs, long nextLease)
            implements NodeReply {

        /** A success whose lease is not handed on. */
        public AttemptSucceeded(String nodeName, long leaseId, int attempt, TaskOutput output, long runMs) {
            this(nodeName, leaseId, attempt, output, runMs, -1);
        }
    }

    /**
     * The kernel threw, timed out or could not start; {@code reason} is the message for the user.
     *
     * @param lostInputs inputs whose producer could no longer serve them (the attempt failed reading
     *                   them, before its kernel ran); empty for every other failure
     */
    record AttemptFailed(String nodeName, long leaseId, int attempt, String reason, long runMs,
                         List<String> lostInputs) implements NodeReply {

        /** Checks and copies. */
        public AttemptFailed {
            lostInputs = lostInputs == null ? List.of() : List.copyOf(lostInputs);
        }

        /** A failure with no input lost. */
        public AttemptFailed(String nodeName, long leaseId, int attempt, String reason, long runMs) {
            this(nodeName, leaseId, attempt, reason, runMs, List.of());
        }
    }

    /**
     * Several successes for the same actor, sent together: what a node reports between two reads of
     * its mailbox goes out as one message per destination (a job running many tiny tasks of its
     * own hears of them in one).
     */
    record Successes(List<AttemptSucceeded> reports) implements NodeReply {

        /** Copies. */
        public Successes {
            reports = List.copyOf(reports);
        }
    }
}
