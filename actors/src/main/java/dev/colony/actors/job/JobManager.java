package dev.colony.actors.job;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.node.NodeView;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Accepts jobs: validates each {@link SubmitJob} against the kernels, the limits and the known
 * nodes, rejects it with every problem named, or hands it to its {@link Job} entity. A message
 * between members can be lost, so it sends each accepted job's {@code Start} again every
 * {@code resendEvery} until the job's result has come back (through a relay of its own, which
 * passes it on to the client): the job takes a repeated Start of its own submission as a watch.
 * One per process.
 */
public final class JobManager extends AbstractOnMessageBehavior<JobManager.Command> {

    /** What the job manager understands. */
    public sealed interface Command extends CborSerializable {
    }

    /**
     * Submits {@code spec}; {@code replyTo} gets its {@link JobResult} when it ends. {@code admitted}
     * is told the {@link JobAdmission} once the job is accepted (journalled) or why it is not (then
     * {@code replyTo} hears nothing); when it is null, {@code replyTo} gets a rejection as a result.
     */
    public record SubmitJob(JobSpec spec, ActorRef<JobResult> replyTo, ActorRef<JobAdmission> admitted)
            implements Command {

        /** A submission whose rejection, if any, goes to {@code replyTo}. */
        public SubmitJob(JobSpec spec, ActorRef<JobResult> replyTo) {
            this(spec, replyTo, null);
        }

        void reject(String reason, long nowMs) {
            refuse(JobAdmission.Verdict.REJECTED, reason, nowMs);
        }

        private void refuse(JobAdmission.Verdict verdict, String reason, long nowMs) {
            if (admitted != null) {
                admitted.tell(new JobAdmission(spec.id(), verdict, reason));
            } else {
                replyTo.tell(JobResult.rejected(spec.id(), reason, nowMs));
            }
        }
    }

    /**
     * Cuts a job's tasks into parts that each fit a message between members (Artery drops one larger
     * than its frame): one part, and its Start carries them all; more, and they follow the Start as
     * {@link Job.StartPart}s.
     */
    @FunctionalInterface
    public interface StartParts {
        /** One part: every job entity is in this process. */
        StartParts WHOLE = start -> List.of(start.spec().tasks());

        /**
         * The tasks of {@code start} in parts, in order.
         *
         * @throws IllegalArgumentException naming a task too large to travel even alone
         */
        List<List<TaskSpec>> split(Job.Start start);
    }

    private enum Resend implements Command, NoSerializationVerificationNeeded { INSTANCE }

    private record Heard(String submission) implements Command, NoSerializationVerificationNeeded {
    }

    /** The job of {@code submission} is accepted: its parts need not be sent again. */
    private record Accepted(String submission) implements Command, NoSerializationVerificationNeeded {
    }

    /** An accepted job's Start, and its parts until the job is accepted. */
    private record Outgoing(Job.Start start, List<Job.StartPart> parts) {
    }

    /** Creates a job manager that gives each accepted job the policy version {@code assign} names. */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs,
                                           LongSupplier assign, InstantSource clock, Duration resendEvery,
                                           StartParts parts) {
        return create(validator, nodes, jobs, assign, clock, resendEvery, parts, Admission.UNLIMITED);
    }

    /** A manager that refuses submissions while {@code admission} (this process's) has as many jobs waiting as it allows. */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs,
                                           LongSupplier assign, InstantSource clock, Duration resendEvery,
                                           StartParts parts, Admission admission) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Resend.INSTANCE, resendEvery);
            return new JobManager(ctx, validator, nodes, jobs, assign, clock, parts, admission);
        }));
    }

    private final JobValidator validator;
    private final NodeView nodes;
    private final Function<String, RecipientRef<Job.Command>> jobs;
    private final LongSupplier assign;
    private final InstantSource clock;
    private final StartParts parts;
    private final Admission admission;
    private final Map<String, Outgoing> unheard = new HashMap<>(); // by submission

    private JobManager(ActorContext<Command> context, JobValidator validator, NodeView nodes,
                       Function<String, RecipientRef<Job.Command>> jobs, LongSupplier assign,
                       InstantSource clock, StartParts parts, Admission admission) {
        super(context);
        this.admission = admission;
        this.assign = assign;
        this.validator = validator;
        this.nodes = nodes;
        this.jobs = jobs;
        this.clock = clock;
        this.parts = parts;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case SubmitJob m -> onSubmit(m);
            case Resend m -> {
                unheard.values().forEach(this::send);
                yield this;
            }
            case Heard m -> {
                unheard.remove(m.submission());
                yield this;
            }
            case Accepted m -> {
                unheard.computeIfPresent(m.submission(), (k, o) -> new Outgoing(o.start(), List.of()));
                yield this;
            }
        };
    }

    private Behavior<Command> onSubmit(SubmitJob m) {
        String full = admission.full();
        if (full != null) {
            m.refuse(JobAdmission.Verdict.OVERLOADED, full, clock.millis());
            return this;
        }
        JobValidator.Result r;
        try {
            r = validator.validate(m.spec(), nodes.capacities());
        } catch (RuntimeException e) {
            // A kernel's validate() that throws must not take the manager (and every other job) down.
            getContext().getLog().warn("validation of job {} threw", m.spec().id(), e);
            m.reject("validation failed: " + e, clock.millis());
            return this;
        }
        if (r.accepted().isEmpty()) {
            m.reject(r.reason(), clock.millis());
        } else {
            String submission = UUID.randomUUID().toString();
            var whole = new Job.Start(r.accepted().get(), m.replyTo(), assign.getAsLong(), submission, m.admitted());
            List<List<TaskSpec>> split;
            try {
                split = parts.split(whole);
            } catch (IllegalArgumentException e) {
                m.reject(e.getMessage(), clock.millis());
                return this;
            }
            ActorRef<Object> relay = getContext().spawnAnonymous(relay(m, submission));
            var start = new Job.Start(split.size() == 1 ? whole.spec() : whole.spec().withTasks(List.of()),
                    relay.narrow(), whole.policyVersion(), submission, relay.narrow(), split.size() == 1 ? 0 : split.size());
            List<Job.StartPart> sent = new ArrayList<>();
            for (int i = 0; split.size() > 1 && i < split.size(); i++) {
                sent.add(new Job.StartPart(submission, i, split.get(i)));
            }
            var outgoing = new Outgoing(start, sent);
            unheard.put(submission, outgoing);
            getContext().watchWith(relay, new Heard(submission));
            send(outgoing);
        }
        return this;
    }

    /**
     * Passes the job's admission and result on to the client (in the order the job sent them) and
     * stops at the result, or at an admission that refuses the job: then this manager stops
     * resending. A result that comes in parts is passed on whole.
     */
    private Behavior<Object> relay(SubmitJob m, String submission) {
        ActorRef<Command> manager = getContext().getSelf();
        ResultParts.Assembler result = new ResultParts.Assembler();
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof JobAdmission a) {
                if (m.admitted() != null) {
                    m.admitted().tell(a);
                } else if (!a.isAccepted()) {
                    m.replyTo().tell(JobResult.rejected(a.jobId(), a.reason(), clock.millis()));
                }
                if (a.isAccepted()) {
                    manager.tell(new Accepted(submission));
                }
                return a.isAccepted() ? Behaviors.same() : Behaviors.stopped();
            }
            JobResult whole = result.offer(msg);
            if (whole != null) {
                m.replyTo().tell(whole);
                return Behaviors.stopped();
            }
            return Behaviors.same();
        });
    }

    private void send(Outgoing o) {
        RecipientRef<Job.Command> job = jobs.apply(o.start().spec().id());
        job.tell(o.start());
        o.parts().forEach(job::tell);
    }
}
