package dev.colony.actors.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.kernel.NoopKernel;
import dev.colony.actors.kernel.SumKernel;
import dev.colony.actors.kernel.TestKernels;
import dev.colony.actors.monitor.Monitor;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.TaskOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {

    static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("akka.actor.serialize-messages = on")
            .withFallback(ConfigFactory.load()));
    static final ExecutorService KERNEL_THREADS = Executors.newCachedThreadPool();
    static final KernelRegistry KERNELS = KernelRegistry.of(new NoopKernel(), new SumKernel(),
            new TestKernels.Failing(), new TestKernels.Hanging());

    final AtomicLong nowMs = new AtomicLong(1_000_000);
    final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    final TestProbe<NodeReply> task = KIT.createTestProbe(NodeReply.class);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
        KERNEL_THREADS.shutdownNow();
    }

    ActorRef<Node.Command> node(double cpus, long leaseTtlMs) {
        var settings = new NodeSettings("n1", ResourceRequest.cpus(cpus), 2.0, 5_000, leaseTtlMs, 100, 60_000);
        return KIT.spawn(Node.create(settings, KERNELS, KERNEL_THREADS, OutputStore.inlineOnly(), List.of(),
                NodeFeedback.NONE, clock));
    }

    NodeReply.Leased lease(ActorRef<Node.Command> node, String key, double cpus, int priority) {
        node.tell(new Node.RequestOffer(key, 1, ResourceRequest.cpus(cpus), 0, task.getRef()));
        var offer = task.expectMessageClass(NodeReply.Offer.class);
        node.tell(new Node.Accept(key, 1, offer.offerId(), offer.validUntilMs(), ResourceRequest.cpus(cpus), priority,
                0, task.getRef()));
        return task.expectMessageClass(NodeReply.Leased.class);
    }

    static Attempt attempt(String kernel, long timeoutMs) {
        return new Attempt("j", "t", 1, kernel, JsonNodeFactory.instance.objectNode(), Map.of(), timeoutMs, 0);
    }

    @Test
    void shouldDeclineTaskLargerThanNodeSayingBoth() {
        var node = node(2, 10_000);
        node.tell(new Node.RequestOffer("j/t", 3, ResourceRequest.cpus(4), 0, task.getRef()));
        var d = task.expectMessageClass(NodeReply.Decline.class);
        assertEquals(3, d.round());
        assertTrue(d.reason().contains("has cpus=2") && d.reason().contains("needs cpus=4"), d.reason());
    }

    @Test
    void shouldOfferLeaseAndRunKernelReportingOutput() {
        var node = node(2, 10_000);
        var leased = lease(node, "j/t", 1, 0);
        var inputs = Map.of("x", TaskOutput.inline(JsonNodeFactory.instance.numberNode(4)));
        node.tell(new Node.Run(leased.leaseId(), new Attempt("j", "t", 1, "sum",
                JsonNodeFactory.instance.objectNode(), inputs, 5_000, 0), task.getRef()));
        var ok = task.expectMessageClass(NodeReply.AttemptSucceeded.class);
        assertEquals(leased.leaseId(), ok.leaseId());
        assertEquals(4.0, ok.output().value().asDouble());
    }

    /** A one-cpu node that hands a lease on {@code limit} times, each waiting {@code idleMs}. */
    ActorRef<Node.Command> reusing(int limit, long idleMs) {
        var settings = new NodeSettings("n1", ResourceRequest.cpus(1), 1.0, 5_000, 10_000, 100, 60_000, limit, idleMs,
                1_000);
        return KIT.spawn(Node.create(settings, KERNELS, KERNEL_THREADS, OutputStore.inlineOnly(), List.of(),
                NodeFeedback.NONE, clock));
    }

    /** Runs task j/t once on {@code node}; returns the lease the node keeps for job j (-1: none). */
    long succeedOnce(ActorRef<Node.Command> node) {
        var leased = lease(node, "j/t", 1, 0);
        node.tell(new Node.Run(leased.leaseId(), attempt("noop", 5_000), task.getRef()));
        return task.expectMessageClass(NodeReply.AttemptSucceeded.class).nextLease();
    }

    /**
     * Lease reuse: after a success the node keeps the lease for the same job's next task, which runs
     * under it with no offer or acceptance; another job's task may not; given back (or after the
     * idle time), its resources are free again; after the reuse limit it is not kept.
     */
    @Test
    void shouldHandALeaseOnToTheSameJobsNextTaskOnly() {
        var node = reusing(2, 60_000);
        long kept = succeedOnce(node);
        assertTrue(kept > 0, "the lease is kept for the job's next task");

        var other = KIT.createTestProbe(NodeReply.class);
        node.tell(new Node.Run(kept, new Attempt("k", "t", 1, "noop", JsonNodeFactory.instance.objectNode(), Map.of(),
                5_000, 0), other.getRef()));
        assertTrue(other.expectMessageClass(NodeReply.AttemptFailed.class).reason().contains("kept for another job"));

        var next = KIT.createTestProbe(NodeReply.class);
        node.tell(new Node.Run(kept, new Attempt("j", "t2", 1, "noop", JsonNodeFactory.instance.objectNode(), Map.of(),
                5_000, 0), next.getRef()));
        var second = next.expectMessageClass(NodeReply.AttemptSucceeded.class);
        assertEquals(kept, second.leaseId());
        long again = second.nextLease();
        assertTrue(again > kept);

        node.tell(new Node.ReleaseLease(again)); // the job has no task left for it
        lease(node, "k/x", 1, 0); // the whole node is free again at once
        node.tell(new Node.Cancel("k/x", "done"));

        var third = lease(node, "j/t3", 1, 0);
        node.tell(new Node.Run(third.leaseId(), attempt("noop", 5_000), task.getRef()));
        long kept3 = task.expectMessageClass(NodeReply.AttemptSucceeded.class).nextLease();
        node.tell(new Node.Run(kept3, new Attempt("j", "t4", 1, "noop", JsonNodeFactory.instance.objectNode(),
                Map.of(), 5_000, 0), next.getRef()));
        long kept4 = next.expectMessageClass(NodeReply.AttemptSucceeded.class).nextLease();
        node.tell(new Node.Run(kept4, new Attempt("j", "t5", 1, "noop", JsonNodeFactory.instance.objectNode(),
                Map.of(), 5_000, 0), next.getRef()));
        assertEquals(-1, next.expectMessageClass(NodeReply.AttemptSucceeded.class).nextLease(),
                "after 2 reuses (lease-reuse.limit) the lease goes back to the node");
    }

    @Test
    void shouldFreeAKeptLeaseThatNobodyTakes() {
        var node = reusing(100, 100);
        assertTrue(succeedOnce(node) > 0);
        var waiting = lease(node, "k/x", 1, 0); // granted once the kept lease has idled out (100 ms)
        assertTrue(waiting.leaseId() > 0);
    }

    @Test
    void shouldDeclineAcceptanceOfExpiredOffer() {
        var node = node(2, 10_000);
        node.tell(new Node.RequestOffer("j/t", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        var offer = task.expectMessageClass(NodeReply.Offer.class);
        nowMs.addAndGet(6_000);
        node.tell(new Node.Accept("j/t", 1, offer.offerId(), offer.validUntilMs(), ResourceRequest.ONE_CPU, 0, 0,
                task.getRef()));
        var d = task.expectMessageClass(NodeReply.Decline.class);
        assertTrue(d.reason().contains("expired"), d.reason());
    }

    @Test
    void shouldLapseLeaseThatIsNotUsedAndFreeItsResources() {
        var node = node(1, 200);
        var first = lease(node, "j/a", 1, 0);
        var lapsed = task.expectMessageClass(NodeReply.LeaseLapsed.class, Duration.ofSeconds(5));
        assertEquals(first.leaseId(), lapsed.leaseId());
        lease(node, "j/b", 1, 0); // the whole node is free again
    }

    @Test
    void shouldQueueBeyondCapacityAndGrantByPriority() {
        var node = node(1, 10_000);
        var first = lease(node, "j/a", 1, 0);
        var low = KIT.createTestProbe(NodeReply.class);
        var high = KIT.createTestProbe(NodeReply.class);
        for (var p : new Object[][] {{"j/low", low, 0}, {"j/high", high, 9}}) {
            @SuppressWarnings("unchecked")
            var probe = (TestProbe<NodeReply>) p[1];
            node.tell(new Node.RequestOffer((String) p[0], 1, ResourceRequest.ONE_CPU, 0, probe.getRef()));
            var offer = probe.expectMessageClass(NodeReply.Offer.class);
            assertTrue(offer.queued() >= 0 && offer.load() >= 1.0, "load " + offer.load());
            node.tell(new Node.Accept((String) p[0], 1, offer.offerId(), offer.validUntilMs(), ResourceRequest.ONE_CPU,
                    (Integer) p[2], 0, probe.getRef()));
        }
        low.expectNoMessage(Duration.ofMillis(100));
        node.tell(new Node.Run(first.leaseId(), attempt("noop", 5_000), task.getRef()));
        task.expectMessageClass(NodeReply.AttemptSucceeded.class);
        high.expectMessageClass(NodeReply.Leased.class);
        low.expectNoMessage(Duration.ofMillis(100));
    }

    /** A task that heard nothing sends its Accept again: it is not queued twice, and an unused lease is sent again. */
    @Test
    void shouldAnswerAnAcceptSentAgainWithoutQueueingItTwice() {
        var node = node(1, 10_000);
        var first = lease(node, "j/a", 1, 0);
        var b = KIT.createTestProbe(NodeReply.class);
        node.tell(new Node.RequestOffer("j/b", 4, ResourceRequest.ONE_CPU, 0, b.getRef()));
        var offer = b.expectMessageClass(NodeReply.Offer.class);
        var accept = new Node.Accept("j/b", 4, offer.offerId(), offer.validUntilMs(), ResourceRequest.ONE_CPU, 0, 0,
                b.getRef());
        node.tell(accept);
        var loads = KIT.<NodeLoad>createTestProbe();
        node.tell(new Node.GetLoad(loads.getRef()));
        assertEquals(1, loads.receiveMessage().queued());
        nowMs.addAndGet(6_000); // the offer expired while the task waited in the queue
        node.tell(accept);
        node.tell(new Node.GetLoad(loads.getRef()));
        assertEquals(1, loads.receiveMessage().queued()); // not queued twice
        b.expectNoMessage(Duration.ofMillis(100)); // nor declined: still waiting
        node.tell(new Node.Run(first.leaseId(), attempt("noop", 5_000), task.getRef()));
        task.expectMessageClass(NodeReply.AttemptSucceeded.class);
        var leased = b.expectMessageClass(NodeReply.Leased.class);
        node.tell(accept); // its Leased was lost
        assertEquals(leased, b.expectMessageClass(NodeReply.Leased.class));
        b.expectNoMessage(Duration.ofMillis(100)); // one lease, not two
        node.tell(new Node.Run(leased.leaseId(), attempt("noop", 5_000), b.getRef()));
        b.expectMessageClass(NodeReply.AttemptSucceeded.class);
        node.tell(accept); // a late copy after the lease ended: the offer expired long ago
        assertTrue(b.expectMessageClass(NodeReply.Decline.class).reason().contains("expired"));
    }

    /** A task that heard nothing of its attempt asks: the report again, or LeaseLapsed once it is no longer kept. */
    @Test
    void shouldSendAReportAgainWhileItIsKept() {
        var node = node(2, 10_000);
        var leased = lease(node, "j/a", 1, 0);
        node.tell(new Node.CheckAttempt(leased.leaseId(), task.getRef()));
        task.expectNoMessage(Duration.ofMillis(100)); // live: its end will be reported
        node.tell(new Node.Run(leased.leaseId(), attempt("noop", 5_000), task.getRef()));
        var ok = task.expectMessageClass(NodeReply.AttemptSucceeded.class);
        node.tell(new Node.CheckAttempt(leased.leaseId(), task.getRef()));
        assertEquals(ok, task.expectMessageClass(NodeReply.AttemptSucceeded.class));
        nowMs.addAndGet(60_001);
        node.tell(new Node.CheckAttempt(leased.leaseId(), task.getRef()));
        var lapsed = task.expectMessageClass(NodeReply.LeaseLapsed.class);
        assertEquals(leased.leaseId(), lapsed.leaseId());
        assertTrue(lapsed.reason().contains("report was lost"), lapsed.reason());
    }

    @Test
    void shouldReportKernelExceptionWithItsMessage() {
        var node = node(1, 10_000);
        var leased = lease(node, "j/t", 1, 0);
        var params = JsonNodeFactory.instance.objectNode().put("message", "disk on fire");
        node.tell(new Node.Run(leased.leaseId(), new Attempt("j", "t", 2, "failing", params, Map.of(), 5_000, 0), task.getRef()));
        var failed = task.expectMessageClass(NodeReply.AttemptFailed.class);
        assertEquals(2, failed.attempt());
        assertEquals("kernel 'failing' failed: IllegalStateException: disk on fire", failed.reason());
    }

    /** An input its producer can no longer serve fails the attempt naming it, so the job can make it again. */
    @Test
    void shouldNameTheInputsLostWhenAStoredInputIsGone(@TempDir Path dir) {
        var settings = new NodeSettings("n1", ResourceRequest.cpus(1), 1.0, 5_000, 10_000, 100, 60_000);
        var node = KIT.spawn(Node.create(settings, KERNELS, KERNEL_THREADS, OutputStore.open(dir, 0, 1 << 20), List.of(),
                NodeFeedback.NONE, clock));
        var leased = lease(node, "j/t", 1, 0);
        var gone = TaskOutput.stored(new OutputRef("n0", "n0/j/p/1.cbor", 9, "ab", null, null, null));
        var here = TaskOutput.inline(JsonNodeFactory.instance.numberNode(4));
        node.tell(new Node.Run(leased.leaseId(), new Attempt("j", "t", 1, "sum", JsonNodeFactory.instance.objectNode(),
                Map.of("x", gone, "y", here), 5_000, 0), task.getRef()));
        var failed = task.expectMessageClass(NodeReply.AttemptFailed.class);
        assertEquals(List.of("x"), failed.lostInputs());
        assertTrue(failed.reason().startsWith("kernel 'sum': input 'x': output n0/j/p/1.cbor of node 'n0' is not in "),
                failed.reason());
    }

    @Test
    void shouldTimeOutHangingKernelAndFreeItsResources() {
        var node = node(1, 10_000);
        var leased = lease(node, "j/t", 1, 0);
        node.tell(new Node.Run(leased.leaseId(), attempt("hanging", 200), task.getRef()));
        var failed = task.expectMessageClass(NodeReply.AttemptFailed.class, Duration.ofSeconds(5));
        assertTrue(failed.reason().contains("timed out after 200 ms"), failed.reason());
        lease(node, "j/next", 1, 0);
    }

    @Test
    void shouldHandBackWaitingTasksAndAnswerADrainOnceNoKernelRuns() {
        var node = node(1, 10_000);
        var leased = lease(node, "j/running", 1, 0);
        node.tell(new Node.Run(leased.leaseId(), attempt("hanging", 300), task.getRef()));
        var waiting = KIT.createTestProbe(NodeReply.class);
        node.tell(new Node.RequestOffer("j/waiting", 1, ResourceRequest.ONE_CPU, 0, waiting.getRef()));
        var offer = waiting.expectMessageClass(NodeReply.Offer.class);
        node.tell(new Node.Accept("j/waiting", 1, offer.offerId(), offer.validUntilMs(), ResourceRequest.ONE_CPU, 0, 0,
                waiting.getRef())); // queued behind the running kernel
        var drained = KIT.createTestProbe(akka.Done.class);
        node.tell(new Node.Drain(drained.getRef()));
        assertTrue(waiting.expectMessageClass(NodeReply.Decline.class).reason().contains("is leaving the cluster"));
        node.tell(new Node.RequestOffer("j/new", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        assertTrue(task.expectMessageClass(NodeReply.Decline.class).reason().contains("is leaving the cluster"));
        drained.expectNoMessage(Duration.ofMillis(100)); // the kernel still runs
        task.expectMessageClass(NodeReply.AttemptFailed.class, Duration.ofSeconds(5)); // it times out
        drained.expectMessage(akka.Done.getInstance());
    }

    @Test
    void shouldCancelRunningKernelAndFreeItsResources() {
        var node = node(1, 10_000);
        var leased = lease(node, "j/t", 1, 0);
        node.tell(new Node.Run(leased.leaseId(), attempt("hanging", 60_000), task.getRef()));
        node.tell(new Node.Cancel("j/t", "job failed"));
        lease(node, "j/next", 1, 0);
        task.expectNoMessage(Duration.ofMillis(100)); // the cancelled attempt reports nothing
        var load = KIT.createTestProbe(NodeLoad.class);
        node.tell(new Node.GetLoad(load.getRef()));
        assertEquals(0, load.receiveMessage().running());
    }

    @Test
    void shouldCountOpenOffersTowardLoadUntilDeclined() {
        var node = node(2, 10_000);
        node.tell(new Node.RequestOffer("j/a", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        var first = task.expectMessageClass(NodeReply.Offer.class);
        assertEquals(0.0, first.load());
        node.tell(new Node.RequestOffer("j/b", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        assertEquals(0.5, task.expectMessageClass(NodeReply.Offer.class).load());
        node.tell(new Node.DeclineOffer(first.offerId()));
        node.tell(new Node.RequestOffer("j/c", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        assertEquals(0.5, task.expectMessageClass(NodeReply.Offer.class).load());
        nowMs.addAndGet(6_000); // both open offers expire
        node.tell(new Node.RequestOffer("j/d", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        var fresh = task.expectMessageClass(NodeReply.Offer.class);
        assertEquals(0.0, fresh.load());
        assertEquals(0, fresh.expectedWaitMs());
    }

    @Test
    void shouldFailRunOnUnknownLease() {
        var node = node(1, 10_000);
        node.tell(new Node.Run(4242, attempt("noop", 1_000), task.getRef()));
        var failed = task.expectMessageClass(NodeReply.AttemptFailed.class);
        assertTrue(failed.reason().contains("lease 4242 on node 'n1' is unknown or lapsed"), failed.reason());
    }

    private ActorRef<Node.Command> node(TestProbe<Monitor.Command> monitor) {
        var settings = new NodeSettings("n1", ResourceRequest.cpus(1), 2.0, 5_000, 10_000, 100, 60_000);
        return KIT.spawn(Node.create(settings, KERNELS, KERNEL_THREADS, OutputStore.inlineOnly(), List.of(),
                new NodeFeedback(monitor.getRef(), new NodeGauge()), clock));
    }

    @Test
    void shouldQuoteTheExpectedWorkOfOpenOffersAndGrantedTasksAsWait() {
        var node = node(KIT.createTestProbe(Monitor.Command.class));
        node.tell(new Node.RequestOffer("j/a", 1, ResourceRequest.ONE_CPU, 400, task.getRef()));
        var a = task.expectMessageClass(NodeReply.Offer.class);
        assertEquals(0, a.expectedWaitMs());
        // a's offer is open: b would wait for a, 400 ms at speed 1 = 200 ms on this speed-2 node
        node.tell(new Node.RequestOffer("j/b", 1, ResourceRequest.ONE_CPU, 100, task.getRef()));
        var b = task.expectMessageClass(NodeReply.Offer.class);
        assertEquals(200, b.expectedWaitMs());
        node.tell(new Node.Accept("j/a", 1, a.offerId(), a.validUntilMs(), ResourceRequest.ONE_CPU, 0, 400,
                task.getRef()));
        task.expectMessageClass(NodeReply.Leased.class);
        // a holds the cpu (200 ms expected), b's offer is still open (50 ms)
        node.tell(new Node.RequestOffer("j/c", 1, ResourceRequest.ONE_CPU, 0, task.getRef()));
        assertEquals(250, task.expectMessageClass(NodeReply.Offer.class).expectedWaitMs());
    }

    @Test
    void shouldTellItsMonitorHowEachAttemptEnded() {
        var monitor = KIT.createTestProbe(Monitor.Command.class);
        var node = node(monitor);
        var leased = lease(node, "j/t", 1, 0);
        var params = JsonNodeFactory.instance.objectNode().set("values", JsonNodeFactory.instance.arrayNode().add(2));
        node.tell(new Node.Run(leased.leaseId(), new Attempt("j", "t", 1, "sum", params, Map.of(), 5_000, 5),
                task.getRef()));
        task.expectMessageClass(NodeReply.AttemptSucceeded.class);
        var r = monitor.expectMessageClass(Monitor.Record.class).attempt();
        assertEquals(List.of("j", "t", "sum", "n1", "succeeded"), List.of(r.jobId(), r.taskId(), r.kernel(), r.node(),
                r.outcome()));
        assertEquals(2.0, r.speedFactor());
        assertEquals(5, r.policyVersion());
        assertEquals(1.0, r.workSize()); // sum measures no work of its own
    }
}
