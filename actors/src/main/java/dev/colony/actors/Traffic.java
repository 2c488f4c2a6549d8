package dev.colony.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the messages of Colony's task protocol this process sends (job↔task, task↔node), as local
 * or cross-process (to an actor of another member), by kind, so that {@code colony bench
 * throughput} can say what a task costs in messages. Sharded job and task addresses count as
 * local: a job and its tasks share a process ({@link ShardPlacement}). Process-wide, like the
 * JVM's own counters; a few nanoseconds per message.
 */
public final class Traffic {

    private static final LongAdder LOCAL = new LongAdder();
    private static final LongAdder REMOTE = new LongAdder();
    private static final Map<String, LongAdder> REMOTE_KINDS = new ConcurrentHashMap<>();

    private Traffic() {
    }

    /** Sends {@code m} to {@code to}, counting it. */
    public static <T> void tell(RecipientRef<T> to, T m) {
        if (to instanceof ActorRef<?> ref && ref.path().address().hasGlobalScope()) {
            REMOTE.increment();
            REMOTE_KINDS.computeIfAbsent(m.getClass().getSimpleName(), k -> new LongAdder()).increment();
        } else {
            LOCAL.increment();
        }
        to.tell(m);
    }

    /** The key under which every member's {@link #probe()} registers with the receptionist. */
    public static final ServiceKey<Ask> SERVICE_KEY = ServiceKey.create(Ask.class, "colony-traffic");

    /** Asks a member for its counts. */
    public record Ask(ActorRef<Counts> replyTo) implements CborSerializable {
    }

    /** An actor that answers {@link Ask} with this process's counts, registered under {@link #SERVICE_KEY}. */
    public static Behavior<Ask> probe() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(m -> {
                m.replyTo().tell(counts());
                return Behaviors.same();
            });
        });
    }

    /** What was counted since the process started. */
    public static Counts counts() {
        Map<String, Long> kinds = new TreeMap<>();
        REMOTE_KINDS.forEach((k, v) -> kinds.put(k, v.sum()));
        return new Counts(LOCAL.sum(), REMOTE.sum(), kinds);
    }

    /**
     * Messages sent: {@code local} within this process, {@code remote} to another member, and the
     * latter by message kind.
     */
    public record Counts(long local, long remote, Map<String, Long> remoteKinds) implements CborSerializable {

        /** Nothing counted. */
        public static final Counts NONE = new Counts(0, 0, Map.of());

        /** These counts plus {@code o}'s. */
        public Counts plus(Counts o) {
            Map<String, Long> kinds = new TreeMap<>(remoteKinds);
            o.remoteKinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
            return new Counts(local + o.local, remote + o.remote, kinds);
        }

        /** What was counted since {@code before}. */
        public Counts minus(Counts before) {
            Map<String, Long> kinds = new TreeMap<>(remoteKinds);
            before.remoteKinds.forEach((k, v) -> kinds.merge(k, -v, Long::sum));
            kinds.values().removeIf(v -> v == 0);
            return new Counts(local - before.local, remote - before.remote, kinds);
        }

        /** One line, for a log: {@code task protocol messages sent: local=N remote=M [Kind=n ...]}. */
        public String line() {
            StringBuilder b = new StringBuilder("task protocol messages sent: local=").append(local).append(" remote=")
                    .append(remote);
            remoteKinds.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.toString();
        }
    }
}
