package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.ResourceRequest;

/**
 * What a node says about itself: name, where to reach it, total capacity and declared speed.
 *
 * @param name        unique node name
 * @param ref         the node actor
 * @param capacity    total resources (not what is free now)
 * @param speedFactor declared speed relative to 1.0
 */
public record NodeDescriptor(String name, ActorRef<Node.Command> ref, ResourceRequest capacity, double speedFactor)
        implements CborSerializable {
}
