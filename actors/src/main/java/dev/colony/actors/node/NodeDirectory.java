package dev.colony.actors.node;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a {@link NodeView} current: subscribes to the receptionist for {@link Node#SERVICE_KEY},
 * asks each new node for its descriptor and publishes the set of described, registered nodes.
 * One per process; local only.
 */
public final class NodeDirectory extends AbstractOnMessageBehavior<NodeDirectory.Command> {

    /** What the directory understands (all private: it is driven by the receptionist). */
    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    private record ListingChanged(Receptionist.Listing listing) implements Command {
    }

    private record Described(ActorRef<Node.Command> node, NodeDescriptor descriptor, Throwable error) implements Command {
    }

    /** Creates a directory that publishes into {@code view}. */
    public static Behavior<Command> create(NodeView view) {
        return Behaviors.setup(ctx -> new NodeDirectory(ctx, view));
    }

    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);

    private final NodeView view;
    private final Map<ActorRef<Node.Command>, NodeDescriptor> described = new HashMap<>();
    private Set<ActorRef<Node.Command>> registered = Set.of();

    private NodeDirectory(ActorContext<Command> context, NodeView view) {
        super(context);
        this.view = view;
        ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
        context.getSystem().receptionist().tell(Receptionist.subscribe(Node.SERVICE_KEY, adapter));
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case ListingChanged m -> onListingChanged(m);
            case Described m -> onDescribed(m);
        };
    }

    private Behavior<Command> onListingChanged(ListingChanged m) {
        registered = new HashSet<>(m.listing().getServiceInstances(Node.SERVICE_KEY));
        described.keySet().retainAll(registered);
        for (ActorRef<Node.Command> node : registered) {
            if (!described.containsKey(node)) {
                getContext().ask(NodeDescriptor.class, node, DESCRIBE_TIMEOUT, Node.Describe::new,
                        (d, err) -> new Described(node, d, err));
            }
        }
        publish();
        return this;
    }

    private Behavior<Command> onDescribed(Described m) {
        if (m.error() != null) {
            getContext().getLog().warn("node {} did not describe itself: {}", m.node(), m.error().toString());
        } else if (registered.contains(m.node())) {
            described.put(m.node(), m.descriptor());
            publish();
        }
        return this;
    }

    private void publish() {
        view.replace(described.values().stream().toList());
    }
}
