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
import java.util.HashMap;
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
     * Whether a Start can reach its job's entity on any member: a message between members must fit
     * Artery's frame. Says why not, or returns null.
     */
    @FunctionalInterface
    public interface StartLimit {
        /** No limit: every job entity is in this process. */
        StartLimit NONE = start -> null;

        String tooLarge(Job.Start start);
    }

    private enum Resend implements Command, NoSerializationVerificationNeeded { INSTANCE }

    private record Heard(String submission) implements Command, NoSerializationVerificationNeeded {
    }

    /** Creates a job manager that gives each accepted job the policy version {@code assign} names. */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs,
                                           LongSupplier assign, InstantSource clock, Duration resendEvery,
                                           StartLimit limit) {
        return create(validator, nodes, jobs, assign, clock, resendEvery, limit, Admission.UNLIMITED);
    }

    /** A manager that refuses submissions while {@code admission} (this process's) has as many jobs waiting as it allows. */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs,
                                           LongSupplier assign, InstantSource clock, Duration resendEvery,
                                           StartLimit limit, Admission admission) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Resend.INSTANCE, resendEvery);
            return new JobManager(ctx, validator, nodes, jobs, assign, clock, limit, admission);
        }));
    }

    private final JobValidator validator;
    private final NodeView nodes;
    private final Function<String, RecipientRef<Job.Command>> jobs;
    private final LongSupplier assign;
    private final InstantSource clock;
    private final StartLimit limit;
    private final Admission admission;
    private final Map<String, Job.Start> unheard = new HashMap<>(); // by submission

    private JobManager(ActorContext<Command> context, JobValidator validator, NodeView nodes,
                       Function<String, RecipientRef<Job.Command>> jobs, LongSupplier assign,
                       InstantSource clock, StartLimit limit, Admission admission) {
        super(context);
        this.admission = admission;
        this.assign = assign;
        this.validator = validator;
        this.nodes = nodes;
        this.jobs = jobs;
        this.clock = clock;
        this.limit = limit;
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
            var direct = new Job.Start(r.accepted().get(), m.replyTo(), assign.getAsLong(), UUID.randomUUID().toString(),
                    m.admitted());
            String tooLarge = limit.tooLarge(direct);
            if (tooLarge != null) {
                m.reject(tooLarge, clock.millis());
                return this;
            }
            // One relay passes on both the admission and the result (in the order the job sent them), and
            // stops at the result, or at an admission that refuses the job: then this manager stops resending.
            ActorRef<Object> relay = getContext().spawnAnonymous(Behaviors.receiveMessage(msg -> {
                if (msg instanceof JobAdmission a) {
                    m.admitted().tell(a);
                    return a.isAccepted() ? Behaviors.same() : Behaviors.stopped();
                }
                if (msg instanceof JobResult result) {
                    m.replyTo().tell(result);
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            }));
            var start = new Job.Start(direct.spec(), relay.narrow(), direct.policyVersion(), direct.submission(),
                    m.admitted() == null ? null : relay.narrow());
            unheard.put(start.submission(), start);
            getContext().watchWith(relay, new Heard(start.submission()));
            send(start);
        }
        return this;
    }

    private void send(Job.Start start) {
        jobs.apply(start.spec().id()).tell(start);
    }
}
