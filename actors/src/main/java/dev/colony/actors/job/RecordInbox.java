package dev.colony.actors.job;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits in front of the {@link JobIndex} and hands it the jobs' records as one
 * {@link JobIndex.Records} batch at a time, the next once the index says
 * {@link JobIndex.RecordsDone} (its batch is journalled, or it has just recovered). The index used
 * to journal each record with a write of its own while it stashed the rest: a node ending a few
 * hundred jobs a second filled the stash (4,096) and the records beyond it were dropped ("Stash
 * buffer is full" in {@code colony bench soak}). At most {@link #MOST_PENDING} wait; beyond that
 * (a journal that cannot be written) the newest are dropped, counted in the log, and a job's end
 * or the index's check lists those jobs later.
 */
final class RecordInbox extends BehaviorInterceptor<JobIndex.Command, JobIndex.Command> {

    static final int MOST_PENDING = 100_000;

    private final List<JobEntry> pending = new ArrayList<>();
    private boolean ready; // false until the index has recovered, and while a batch is written
    private long dropped;

    RecordInbox() {
        super(JobIndex.Command.class);
    }

    /** {@code index} behind a new inbox. */
    static Behavior<JobIndex.Command> around(Behavior<JobIndex.Command> index) {
        return Behaviors.intercept(RecordInbox::new, index);
    }

    @Override
    public Behavior<JobIndex.Command> aroundReceive(TypedActorContext<JobIndex.Command> ctx, JobIndex.Command msg,
                                                    ReceiveTarget<JobIndex.Command> target) {
        if (msg instanceof JobIndex.Record r) {
            if (pending.size() < MOST_PENDING) {
                pending.add(r.entry());
            } else if (Long.bitCount(++dropped) == 1) {
                ctx.asJava().getLog().warn("job list: {} record(s) dropped, {} waiting for the journal", dropped,
                        pending.size());
            }
            return ready ? deliver(ctx, target) : Behaviors.same();
        }
        if (msg == JobIndex.RecordsDone.INSTANCE) {
            ready = true;
            return pending.isEmpty() ? Behaviors.same() : deliver(ctx, target);
        }
        return target.apply(ctx, msg);
    }

    private Behavior<JobIndex.Command> deliver(TypedActorContext<JobIndex.Command> ctx,
                                               ReceiveTarget<JobIndex.Command> target) {
        ready = false;
        JobIndex.Records batch = new JobIndex.Records(List.copyOf(pending));
        pending.clear();
        return target.apply(ctx, batch);
    }
}
