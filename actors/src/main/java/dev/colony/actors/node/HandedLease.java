package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.Traffic;
import dev.colony.actors.job.ResourceRequest;

/**
 * A lease a node keeps for the next task of a job whose task just succeeded under it
 * ({@link NodeReply.AttemptSucceeded#nextLease()}): the job (told by the task, or by the node when
 * the job ran the task itself) sends the {@code Run} of a ready task whose request fits in
 * {@code resources} at once, without a negotiation, or gives the lease back ({@link Node.ReleaseLease}).
 */
public record HandedLease(ActorRef<Node.Command> node, String nodeName, long leaseId, ResourceRequest resources)
        implements CborSerializable {

    /** Gives the lease back: nobody will use it. */
    public void release() {
        Traffic.tell(node, new Node.ReleaseLease(leaseId));
    }
}
