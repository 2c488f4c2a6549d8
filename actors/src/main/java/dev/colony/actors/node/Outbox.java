package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.Traffic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's successes on their way out, one message per destination: the first success after a
 * flush asks for the next flush ({@code flushSoon}: a message to the node itself, read after
 * everything already in its mailbox), and every success reported meanwhile to the same actor goes
 * in the same message ({@link NodeReply.Successes}; a lone one as itself). Used on the node's
 * thread only.
 */
final class Outbox {

    private final Runnable flushSoon;
    private final Map<ActorRef<NodeReply>, List<NodeReply.AttemptSucceeded>> waiting = new LinkedHashMap<>();

    /** An outbox that calls {@code flushSoon} when it needs a {@link #flush}. */
    Outbox(Runnable flushSoon) {
        this.flushSoon = flushSoon;
    }

    /** {@code report} is to go to {@code to} with the next flush. */
    void add(ActorRef<NodeReply> to, NodeReply.AttemptSucceeded report) {
        if (waiting.isEmpty()) {
            flushSoon.run();
        }
        waiting.computeIfAbsent(to, k -> new ArrayList<>(4)).add(report);
    }

    /** Sends what waits. */
    void flush() {
        waiting.forEach((to, reports) -> Traffic.tell(to, reports.size() == 1 ? reports.getFirst()
                : new NodeReply.Successes(reports)));
        waiting.clear();
    }
}
