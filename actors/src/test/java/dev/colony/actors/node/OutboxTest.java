package dev.colony.actors.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.colony.actors.output.TaskOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A node's successes leave in one message per destination, asking for one flush per batch. */
class OutboxTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void shouldSendWhatWaitsInOneMessagePerDestination() {
        TestProbe<NodeReply> job = KIT.createTestProbe(NodeReply.class);
        TestProbe<NodeReply> task = KIT.createTestProbe(NodeReply.class);
        AtomicInteger flushes = new AtomicInteger();
        Outbox outbox = new Outbox(flushes::incrementAndGet);
        outbox.add(job.getRef(), success(1));
        outbox.add(task.getRef(), success(2));
        outbox.add(job.getRef(), success(3));
        assertEquals(1, flushes.get()); // one flush for all three
        job.expectNoMessage(Duration.ofMillis(50)); // nothing leaves before it
        outbox.flush();
        assertEquals(new NodeReply.Successes(List.of(success(1), success(3))), job.receiveMessage());
        assertEquals(success(2), task.receiveMessage()); // a lone one as itself
        outbox.add(task.getRef(), success(4));
        assertEquals(2, flushes.get());
    }

    private static NodeReply.AttemptSucceeded success(long lease) {
        return new NodeReply.AttemptSucceeded("n1", lease, 1, TaskOutput.inline(IntNode.valueOf(1)), 0, -1);
    }
}
