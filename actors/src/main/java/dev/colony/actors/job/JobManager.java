package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.node.NodeView;
import java.time.InstantSource;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Accepts jobs: validates each {@link SubmitJob} against the kernels, the limits and the known
 * nodes, rejects it with every problem named, or hands it to its {@link Job} entity. Stateless;
 * one per process.
 */
public final class JobManager extends AbstractOnMessageBehavior<JobManager.Command> {

    /** What the job manager understands. */
    public sealed interface Command extends CborSerializable {
    }

    /** Submits {@code spec}; {@code replyTo} gets its {@link JobResult} when it ends or is rejected. */
    public record SubmitJob(JobSpec spec, ActorRef<JobResult> replyTo) implements Command {
    }

    /** Creates a job manager whose jobs all use the built-in placement policy (version 0). */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs, InstantSource clock) {
        return create(validator, nodes, jobs, () -> 0, clock);
    }

    /** Creates a job manager that gives each accepted job the policy version {@code assign} names. */
    public static Behavior<Command> create(JobValidator validator, NodeView nodes,
                                           Function<String, RecipientRef<Job.Command>> jobs,
                                           LongSupplier assign, InstantSource clock) {
        return Behaviors.setup(ctx -> new JobManager(ctx, validator, nodes, jobs, assign, clock));
    }

    private final JobValidator validator;
    private final NodeView nodes;
    private final Function<String, RecipientRef<Job.Command>> jobs;
    private final LongSupplier assign;
    private final InstantSource clock;

    private JobManager(ActorContext<Command> context, JobValidator validator, NodeView nodes,
                       Function<String, RecipientRef<Job.Command>> jobs, LongSupplier assign,
                       InstantSource clock) {
        super(context);
        this.assign = assign;
        this.validator = validator;
        this.nodes = nodes;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case SubmitJob m -> onSubmit(m);
        };
    }

    private Behavior<Command> onSubmit(SubmitJob m) {
        JobValidator.Result r;
        try {
            r = validator.validate(m.spec(), nodes.capacities());
        } catch (RuntimeException e) {
            // A kernel's validate() that throws must not take the manager (and every other job) down.
            getContext().getLog().warn("validation of job {} threw", m.spec().id(), e);
            m.replyTo().tell(JobResult.rejected(m.spec().id(), "validation failed: " + e, clock.millis()));
            return this;
        }
        if (r.accepted().isEmpty()) {
            m.replyTo().tell(JobResult.rejected(m.spec().id(), r.reason(), clock.millis()));
        } else {
            jobs.apply(m.spec().id()).tell(new Job.Start(r.accepted().get(), m.replyTo(),
                    assign.getAsLong()));
        }
        return this;
    }
}
