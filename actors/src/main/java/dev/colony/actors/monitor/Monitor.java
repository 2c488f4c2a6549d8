package dev.colony.actors.monitor;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.ProducerController;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.delivery.EventSourcedProducerQueue;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.gpu.GpuBridge;
import dev.colony.actors.monitor.Feedback.AttemptRecord;
import dev.colony.actors.monitor.Feedback.NodeSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/**
 * A node's monitor: the node tells it every finished attempt, and it samples the node on a timer.
 * It delivers both in batches to the learner through Akka's reliable delivery: its producer
 * controller registers under {@link #PRODUCERS}, and the learner's {@link FeedbackIntake}
 * connects a consumer to it, wherever the learner runs. A batch stays with the monitor until the
 * learner confirms it: when a learner stops or moves, its unconfirmed batches go to the next one,
 * so nothing is lost. With {@code durable}, sent batches also wait in the journal, so a monitor
 * restart loses none either (off by default: every batch then costs a journal write).
 *
 * <p>Jobs that end on the process report to one of its monitors ({@link JobEnded}); their records
 * travel in the same batches.
 *
 * <p>It never slows the node: the node only tells it, and it sends only when the learner asks for
 * more (back-pressure). While the learner takes nothing, records accumulate up to
 * {@code maxRecords} (an attempt counts one, a job one per task) and samples up to
 * {@code maxSamples}; beyond, the oldest are dropped and the count travels with the next batch (a
 * learner that took nothing for long learns from the recent past, and the process's heap stays
 * bounded: 20,000 tiny tasks a second kept 880,000 records, ~0.5 GB, in 45 s with no learner).
 */
public final class Monitor {

    /** Where monitors register their producer controllers, for the learner's {@link FeedbackIntake}. */
    public static final ServiceKey<ProducerController.Command<Feedback>> PRODUCERS =
            ServiceKey.create(producerClass(), "colony-monitor-feedback");

    @SuppressWarnings("unchecked")
    private static Class<ProducerController.Command<Feedback>> producerClass() {
        return (Class<ProducerController.Command<Feedback>>) (Class<?>) ProducerController.Command.class;
    }

    /** What a monitor takes. */
    public sealed interface Command {
    }

    /** The node's report of one finished attempt. */
    public record Record(AttemptRecord attempt) implements Command, CborSerializable {
    }

    /** A job that ended on the monitor's process (one monitor per process receives these). */
    public record JobEnded(JobRecord job) implements Command, CborSerializable {
    }

    private record Sample() implements Command, NoSerializationVerificationNeeded {
    }

    private record GpuMeasured(GpuBridge.Measured m) implements Command, NoSerializationVerificationNeeded {
    }

    private record WrappedRequestNext(ProducerController.RequestNext<Feedback> next)
            implements Command, NoSerializationVerificationNeeded {
    }

    /**
     * How a monitor batches.
     *
     * @param sampleEvery time between node samples
     * @param maxBatch    most job records, attempt records and samples in one batch
     * @param maxSamples  samples kept while the learner takes nothing
     * @param maxRecords  attempt and job records kept while the learner takes nothing (a job counts
     *                    one per task)
     * @param durable     keep sent, unconfirmed batches in the journal, so a monitor restart loses none
     */
    public record Settings(Duration sampleEvery, int maxBatch, int maxSamples, int maxRecords, boolean durable) {

        /** Checks ranges. */
        public Settings {
            if (sampleEvery.isNegative() || sampleEvery.isZero() || maxBatch < 1 || maxSamples < 1 || maxRecords < 1) {
                throw new IllegalArgumentException("monitor: sample-every = " + sampleEvery + " must be "
                        + "positive and max-batch = " + maxBatch + ", max-samples = " + maxSamples + ", max-records = "
                        + maxRecords + " at least 1");
            }
        }
    }

    private final String node;
    private final Settings settings;
    private final Supplier<NodeSample> sampler;
    private final DoubleConsumer gpuBusyMs;
    private final ArrayDeque<AttemptRecord> attempts = new ArrayDeque<>();
    private final ArrayDeque<NodeSample> samples = new ArrayDeque<>();
    private final ArrayDeque<JobRecord> jobs = new ArrayDeque<>();
    private long records; // attempts.size() plus the tasks of the job records kept
    private long dropped;
    private Optional<ActorRef<Feedback>> sendNext = Optional.empty();

    private Monitor(String node, Settings settings, Supplier<NodeSample> sampler, DoubleConsumer gpuBusyMs) {
        this.node = node;
        this.settings = settings;
        this.sampler = sampler;
        this.gpuBusyMs = gpuBusyMs;
    }

    /**
     * A monitor for {@code node}, whose samples come from {@code sampler} (called on the monitor's
     * thread; it must not block).
     */
    public static Behavior<Command> create(String node, Settings settings, Supplier<NodeSample> sampler) {
        return create(node, settings, sampler, ms -> { });
    }

    /**
     * A monitor that also hands {@code gpuBusyMs} the busy time of each GEMM the node's GPU bridges
     * publish (on the monitor's thread, before the next sample).
     */
    public static Behavior<Command> create(String node, Settings settings, Supplier<NodeSample> sampler,
                                           DoubleConsumer gpuBusyMs) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Optional<Behavior<akka.actor.typed.delivery.DurableProducerQueue.Command<Feedback>>> queue = settings.durable()
                    ? Optional.of(EventSourcedProducerQueue.<Feedback>create(PersistenceId.of("ColonyMonitor", node)))
                    : Optional.empty();
            var producer = ctx.spawn(ProducerController.create(Feedback.class, "monitor-" + node, queue), "producer");
            ActorRef<ProducerController.RequestNext<Feedback>> adapter =
                    ctx.messageAdapter(ProducerController.requestNextClass(), WrappedRequestNext::new);
            producer.tell(new ProducerController.Start<>(adapter));
            ctx.getSystem().receptionist().tell(Receptionist.register(PRODUCERS, producer));
            timers.startTimerWithFixedDelay(new Sample(), settings.sampleEvery());
            ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(GpuBridge.Measured.class,
                    ctx.messageAdapter(GpuBridge.Measured.class, GpuMeasured::new)));
            return new Monitor(node, settings, sampler, gpuBusyMs).behavior(ctx);
        }));
    }

    private Behavior<Command> behavior(ActorContext<Command> ctx) {
        return Behaviors.receive(Command.class)
                .onMessage(Record.class, r -> {
                    attempts.add(r.attempt());
                    records++;
                    keepRecordsBounded();
                    flush();
                    return Behaviors.same();
                })
                .onMessage(JobEnded.class, j -> {
                    jobs.add(j.job());
                    records += weight(j.job());
                    keepRecordsBounded();
                    flush();
                    return Behaviors.same();
                })
                .onMessage(GpuMeasured.class, g -> {
                    if (g.m().node().equals(node)) {
                        gpuBusyMs.accept(g.m().h2dMillis() + g.m().kernelMillis() + g.m().d2hMillis());
                    }
                    return Behaviors.same();
                })
                .onMessage(Sample.class, s -> {
                    samples.add(sampler.get());
                    while (samples.size() > settings.maxSamples()) {
                        samples.removeFirst();
                        dropped++;
                    }
                    flush();
                    return Behaviors.same();
                })
                .onMessage(WrappedRequestNext.class, w -> {
                    sendNext = Optional.of(w.next().sendNextTo());
                    flush();
                    return Behaviors.same();
                })
                .build();
    }

    /** Drops the oldest records (jobs first: each holds many) while more than maxRecords are kept. */
    private void keepRecordsBounded() {
        while (records > settings.maxRecords() && !jobs.isEmpty()) {
            records -= weight(jobs.removeFirst());
            dropped++;
        }
        while (records > settings.maxRecords() && !attempts.isEmpty()) {
            attempts.removeFirst();
            records--;
            dropped++;
        }
    }

    private static int weight(JobRecord job) {
        return Math.max(1, job.tasks().size());
    }

    /** Sends one batch when the learner asked for one and there is something to send. */
    private void flush() {
        if (sendNext.isEmpty() || attempts.isEmpty() && samples.isEmpty() && jobs.isEmpty()) {
            return;
        }
        List<JobRecord> j = new ArrayList<>();
        while (!jobs.isEmpty() && j.size() < settings.maxBatch()) {
            j.add(jobs.removeFirst());
            records -= weight(j.getLast());
        }
        List<AttemptRecord> a = new ArrayList<>();
        while (!attempts.isEmpty() && j.size() + a.size() < settings.maxBatch()) {
            a.add(attempts.removeFirst());
            records--;
        }
        List<NodeSample> s = new ArrayList<>();
        while (!samples.isEmpty() && j.size() + a.size() + s.size() < settings.maxBatch()) {
            s.add(samples.removeFirst());
        }
        sendNext.get().tell(new Feedback(node, a, s, j, dropped));
        dropped = 0;
        sendNext = Optional.empty();
    }
}
