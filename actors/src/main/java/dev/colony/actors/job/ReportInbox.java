package dev.colony.actors.job;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Sits in front of a {@link Job} and hands it its tasks' reports ({@code AttemptRunning},
 * {@code AttemptEnded}, {@code ReserveAttempt}, {@code TaskSucceeded}, {@code TaskFailed},
 * {@code Redeliver}, and nodes' reports on the runs the job makes itself) as one {@link Job.Reports} batch
 * at a time: the next batch only once the job has said {@link Job.ReportsDone} (its previous batch
 * is journalled, or it has just recovered).
 *
 * <p>Why not let them reach the job one by one: an event-sourced behavior stashes every command
 * that arrives while it writes, and Akka 2.8.6 unstashes commands that write nothing by recursion
 * (akka/akka-core#29933; the fix is not in 2.8.6): a thousand stashed task reports overflowed the stack
 * and took the JVM down. Here the job's stash holds at most one batch, and a batch is journalled
 * with one write. A {@code HandOff} (the job's shard moves, or it passivates) waits until every
 * report that came before it is journalled: they are its tasks' only record.
 */
final class ReportInbox extends BehaviorInterceptor<Job.Command, Job.Command> {

    private final List<Job.Command> pending = new ArrayList<>();
    private boolean ready; // false until the job has recovered, and while a batch is being handled
    private boolean handOffHeld; // the job is to stop once every report is journalled
    private BiConsumer<Job.Command, Consumer<Job.Command>> onArrival = (report, batch) -> batch.accept(report);

    ReportInbox() {
        super(Job.Command.class);
    }

    /** {@code job} behind {@code inbox}. */
    static Behavior<Job.Command> around(ReportInbox inbox, Behavior<Job.Command> job) {
        return Behaviors.intercept(() -> inbox, job);
    }

    /**
     * Has {@code f} see each report as it arrives, on the job's thread, before it waits for its
     * batch: what it gives its second argument is batched instead (the job hands a lease on at once
     * this way).
     */
    void onArrival(BiConsumer<Job.Command, Consumer<Job.Command>> f) {
        onArrival = f;
    }

    /** Whether {@code msg} is a task's report that goes through the inbox. */
    static boolean isReport(Job.Command msg) {
        return msg instanceof Job.AttemptRunning || msg instanceof Job.AttemptEnded || msg instanceof Job.ReserveAttempt
                || msg instanceof Job.TaskSucceeded || msg instanceof Job.TaskFailed || msg instanceof Job.Redeliver
                || msg instanceof Job.NodeReported;
    }

    @Override
    public Behavior<Job.Command> aroundReceive(TypedActorContext<Job.Command> ctx, Job.Command msg,
                                               ReceiveTarget<Job.Command> target) {
        if (isReport(msg)) {
            onArrival.accept(msg, pending::add);
            return ready && !pending.isEmpty() ? deliver(ctx, target) : Behaviors.same();
        }
        if (msg == Job.ReportsDone.INSTANCE) {
            ready = true;
            if (!pending.isEmpty()) {
                return deliver(ctx, target);
            }
            if (handOffHeld) {
                handOffHeld = false;
                return target.apply(ctx, Job.HandOff.INSTANCE);
            }
            return Behaviors.same();
        }
        if (msg == Job.HandOff.INSTANCE && (!ready || !pending.isEmpty())) {
            // The reports are the tasks' only record (tasks journal nothing): journal them, then stop.
            handOffHeld = true;
            return ready ? deliver(ctx, target) : Behaviors.same();
        }
        return target.apply(ctx, msg);
    }

    private Behavior<Job.Command> deliver(TypedActorContext<Job.Command> ctx, ReceiveTarget<Job.Command> target) {
        ready = false;
        Job.Reports batch = new Job.Reports(List.copyOf(pending));
        pending.clear();
        return target.apply(ctx, batch);
    }
}
