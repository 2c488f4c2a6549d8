package dev.colony.actors.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.monitor.Feedback.AttemptRecord;
import dev.colony.actors.gpu.GpuBridge;
import dev.colony.actors.monitor.Feedback.NodeSample;
import dev.colony.actors.node.NodeGauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feedback reaches the learner in batches and survives the learner stopping (another one takes
 * over) and the monitor restarting (its durable queue), with every message serialized.
 */
class MonitorTest {

    // samples only when a test wants them: a sample-only batch taken first would race with the records
    private static final Monitor.Settings SETTINGS = new Monitor.Settings(Duration.ofHours(1), 10, 5, 1000, false);
    private static final Monitor.Settings DURABLE = new Monitor.Settings(Duration.ofHours(1), 10, 5, 1000, true);

    // one actor system per test: learners register under one receptionist key, and a learner left
    // from another test would take part of the work
    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create(ConfigFactory.parseString("""
                akka.actor.serialize-messages = on
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
                """).withFallback(ConfigFactory.load()));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /** What a stand-in learner saw, and whether it confirms. */
    private record Seen(Feedback feedback) implements akka.actor.NoSerializationVerificationNeeded {
    }

    private record Delivered(ConsumerController.Delivery<Feedback> delivery)
            implements akka.actor.NoSerializationVerificationNeeded {
    }

    /** A learner stand-in: takes feedback as the learner does, reports each batch, confirms up to {@code confirm} of them. */
    private static Behavior<Object> learner(ActorRef<Seen> seen, int confirm) {
        return Behaviors.setup(ctx -> {
            ActorRef<ConsumerController.Delivery<Feedback>> adapter =
                    ctx.messageAdapter(ConsumerController.deliveryClass(), Delivered::new);
            ctx.spawn(FeedbackIntake.create(adapter), "intake");
            AtomicInteger confirmed = new AtomicInteger();
            return Behaviors.receive(Object.class)
                    .onMessage(Delivered.class, d -> {
                        seen.tell(new Seen(d.delivery().message()));
                        if (confirmed.getAndIncrement() < confirm) {
                            d.delivery().confirmTo().tell(ConsumerController.confirmed());
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @Test
    void shouldSampleTheNodeAndCountSamplesItHadToDrop() {
        TestProbe<Seen> seen = kit.createTestProbe();
        AtomicInteger taken = new AtomicInteger();
        kit.spawn(Monitor.create("n3", new Monitor.Settings(Duration.ofMillis(20), 10, 3, 1000, false), () -> {
            taken.incrementAndGet();
            return sample();
        }), "monitor-c");
        // no learner yet: samples pile up beyond the cap of 3 and the oldest go
        seen.awaitAssert(Duration.ofSeconds(10), () -> {
            assertTrue(taken.get() >= 8, "samples taken: " + taken.get());
            return null;
        });
        kit.spawn(learner(seen.getRef(), Integer.MAX_VALUE), "learner-5");
        Feedback first = seen.receiveMessage(Duration.ofSeconds(10)).feedback();
        assertTrue(first.samples().size() <= 3, first.toString());
        assertTrue(first.dropped() >= 4, "dropped " + first.dropped());
        assertEquals("n3", first.node());
    }

    @Test
    void shouldKeepTheNewestRecordsUpToItsBoundWhileNoLearnerTakesThem() {
        TestProbe<Seen> seen = kit.createTestProbe();
        var monitor = kit.spawn(Monitor.create("n4", new Monitor.Settings(Duration.ofHours(1), 100, 5, 4, false),
                MonitorTest::sample), "monitor-d");
        for (int i = 0; i < 10; i++) {
            monitor.tell(new Monitor.Record(attempt(i)));
        }
        kit.spawn(learner(seen.getRef(), Integer.MAX_VALUE), "learner-6");
        Feedback first = seen.receiveMessage(Duration.ofSeconds(10)).feedback();
        assertEquals(List.of("t6", "t7", "t8", "t9"), first.attempts().stream().map(AttemptRecord::taskId).toList());
        assertEquals(6, first.dropped());
    }

    private static boolean hasOnly(Seen m) {
        return m.feedback().attempts().stream().anyMatch(a -> a.taskId().equals("only"));
    }

    private static AttemptRecord attempt(int i) {
        return new AttemptRecord("job", "t" + i, "spin", 10, "n1", 1.0, 2, 10, 0, 0, "succeeded", 1_000 + i, 0, null,
                0);
    }

    private static NodeSample sample() {
        return new NodeSample("n1", 0, 1, 0, 0.5, 1 << 20, -1);
    }

    @Test
    void shouldSampleTheShareOfTimeTheNodesGpusWereBusy() {
        var gauge = new NodeGauge(2);
        assertEquals(-1, gauge.gpuUse(), "none sampled yet");
        assertEquals(-1, new NodeGauge().sample("cpu-only", 0).gpuUse());
        assertEquals(0, gauge.sample("g", 1_000).gpuUse());
        gauge.addGpuBusyMs(100); // 100 ms on one of 2 GPUs over the next 200 ms: 25 %
        assertEquals(0, gauge.gpuUse(), "the latest sample's, which NodeLoad shows (GET /nodes)");
        assertEquals(0.25, gauge.sample("g", 1_200).gpuUse(), 1e-9);
        assertEquals(0.25, gauge.gpuUse(), 1e-9);
        assertEquals(0, gauge.sample("g", 1_400).gpuUse());
        // the monitor hands on its node's GPU measurements, and only those
        DoubleAdder busy = new DoubleAdder();
        kit.spawn(Monitor.create("g", SETTINGS, MonitorTest::sample, busy::add), "monitor-g");
        TestProbe<Seen> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            var events = kit.system().eventStream();
            events.tell(new EventStream.Publish<>(new GpuBridge.Measured("g", 0, 8, 8, 8, 10, 80, 10)));
            events.tell(new EventStream.Publish<>(new GpuBridge.Measured("other", 0, 8, 8, 8, 10, 500, 10)));
            assertTrue(busy.sum() > 0 && busy.sum() % 100 == 0, "busy " + busy.sum());
            return null;
        });
    }

    @Test
    void shouldTakeFeedbackFromEveryMonitor() {
        TestProbe<Seen> seen = kit.createTestProbe();
        List<ActorRef<Monitor.Command>> monitors = new ArrayList<>();
        for (String node : List.of("n1", "n2", "n3")) {
            monitors.add(kit.spawn(Monitor.create(node, SETTINGS, MonitorTest::sample), "monitor-" + node));
        }
        kit.spawn(learner(seen.getRef(), Integer.MAX_VALUE), "learner-6");
        for (int i = 0; i < 30; i++) {
            monitors.get(i % 3).tell(new Monitor.Record(attempt(i)));
        }
        Set<String> tasks = new LinkedHashSet<>();
        Set<String> nodes = new LinkedHashSet<>();
        seen.fishForMessage(Duration.ofSeconds(20), m -> {
            m.feedback().attempts().forEach(a -> tasks.add(a.taskId()));
            nodes.add(m.feedback().node());
            return tasks.size() == 30 ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
        });
        assertEquals(Set.of("n1", "n2", "n3"), nodes);
    }

    @Test
    void shouldHandOverUnconfirmedFeedbackToTheNextLearner() {
        TestProbe<Seen> seen = kit.createTestProbe();
        ActorRef<Monitor.Command> monitor = kit.spawn(Monitor.create("n1", SETTINGS, MonitorTest::sample), "monitor-a");
        ActorRef<Object> first = kit.spawn(learner(seen.getRef(), 2), "learner-1"); // confirms 2 batches, then stalls
        for (int i = 0; i < 40; i++) {
            monitor.tell(new Monitor.Record(attempt(i)));
        }
        Set<String> tasks = new LinkedHashSet<>();
        List<Feedback> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            Feedback f = seen.receiveMessage(Duration.ofSeconds(10)).feedback();
            batches.add(f);
            f.attempts().forEach(a -> tasks.add(a.taskId()));
        }
        kit.stop(first);
        kit.spawn(learner(seen.getRef(), Integer.MAX_VALUE), "learner-2");
        seen.fishForMessage(Duration.ofSeconds(30), m -> {
            m.feedback().attempts().forEach(a -> tasks.add(a.taskId()));
            return tasks.size() == 40 ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
        });
        assertEquals(40, tasks.size(), "task ids seen: " + tasks);
        assertTrue(batches.stream().allMatch(f -> f.attempts().size() + f.samples().size() <= 10));
        kit.stop(monitor);
    }

    @Test
    void shouldKeepSentFeedbackAcrossAMonitorRestart() {
        TestProbe<Seen> seen = kit.createTestProbe();
        ActorRef<Monitor.Command> monitor = kit.spawn(Monitor.create("n2", DURABLE, MonitorTest::sample), "monitor-b1");
        ActorRef<Object> stalls = kit.spawn(learner(seen.getRef(), 0), "learner-3"); // never confirms
        monitor.tell(new Monitor.Record(new AttemptRecord("job", "only", "spin", 1, "n2", 1, 0, 1, 0, 0, "succeeded", 1,
                0, null, 0)));
        seen.fishForMessage(Duration.ofSeconds(20), m -> hasOnly(m) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        kit.stop(stalls);
        kit.stop(monitor);
        kit.spawn(Monitor.create("n2", DURABLE, MonitorTest::sample), "monitor-b2"); // same node: same durable queue
        kit.spawn(learner(seen.getRef(), Integer.MAX_VALUE), "learner-4");
        seen.fishForMessage(Duration.ofSeconds(30), m -> hasOnly(m) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }
}
