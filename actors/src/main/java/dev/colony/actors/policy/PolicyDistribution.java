package dev.colony.actors.policy;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.LWWRegisterKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import java.time.Duration;

/**
 * Carries the learner's {@link PolicyUpdate}s to every process through Distributed Data (one
 * last-writer-wins register): one per process, it puts each update it is told to publish into the
 * register, and puts every update that reaches the register, from any process, into the process's
 * {@link PolicyBoard}. A process that joins later reads the register's current value.
 */
public final class PolicyDistribution {

    /** The register's key. */
    public static final Key<LWWRegister<PolicyUpdate>> KEY = LWWRegisterKey.create("colony-policy");

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    /** What it takes. */
    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    /** Publishes {@code update} to every process (the learner's process tells its own distribution). */
    public record Publish(PolicyUpdate update) implements Command {
    }

    private record Changed(Replicator.SubscribeResponse<LWWRegister<PolicyUpdate>> response) implements Command {
    }

    private record Written(Replicator.UpdateResponse<LWWRegister<PolicyUpdate>> response) implements Command {
    }

    private PolicyDistribution() {
    }

    /** The distribution for a process whose board is {@code board}. */
    public static Behavior<Command> create(PolicyBoard board) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWRegister<PolicyUpdate>> replicator) -> {
                    SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                    replicator.subscribe(KEY, Changed::new);
                    return Behaviors.receive(Command.class)
                            .onMessage(Publish.class, m -> {
                                board.update(m.update()); // at once here; elsewhere when the register changes
                                replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY,
                                        LWWRegister.create(self, m.update()),
                                        new Replicator.WriteMajority(WRITE_TIMEOUT), replyTo,
                                        reg -> reg.withValue(self, m.update())), Written::new);
                                return Behaviors.same();
                            })
                            .onMessage(Changed.class, m -> {
                                if (m.response() instanceof Replicator.Changed<LWWRegister<PolicyUpdate>> c) {
                                    board.update(c.get(KEY).getValue());
                                }
                                return Behaviors.same();
                            })
                            .onMessage(Written.class, m -> {
                                if (!(m.response() instanceof Replicator.UpdateSuccess)) {
                                    ctx.getLog().warn("policy update not yet written to a majority: {}", m.response());
                                }
                                return Behaviors.same();
                            })
                            .build();
                }));
    }
}
