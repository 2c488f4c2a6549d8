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
 * buffer is full" in {@code colony bench soak}).
 *
 * <p>Read your writes: a query that arrives while records wait here waits behind them and is sent
 * on (to this actor, {@link JobIndex.Waited}) right after their batch, so the index, which stashes
 * commands while it writes, answers it once that batch is journalled. At most
 * {@link #MOST_PENDING} records and as many queries wait; beyond that (a journal that cannot be
 * written) the newest records are dropped, counted in the log, and a job's end or the index's check
 * lists those jobs later; a query beyond it goes to the index at once.
 */
final class RecordInbox extends BehaviorInterceptor<JobIndex.Command, JobIndex.Command> {

    static final int MOST_PENDING = 100_000;

    private final List<JobEntry> pending = new ArrayList<>();
    private final List<JobIndex.Command> queries = new ArrayList<>(); // arrived after some pending record
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
        if (msg instanceof JobIndex.Waited w) {
            return target.apply(ctx, w.query());
        }
        if ((msg instanceof JobIndex.ListJobs || msg instanceof JobIndex.Lookup) && !pending.isEmpty()
                && queries.size() < MOST_PENDING) {
            queries.add(msg);
            return Behaviors.same();
        }
        return target.apply(ctx, msg);
    }

    /** The pending records as one batch, then the queries that came after them. */
    private Behavior<JobIndex.Command> deliver(TypedActorContext<JobIndex.Command> ctx,
                                               ReceiveTarget<JobIndex.Command> target) {
        ready = false;
        JobIndex.Records batch = new JobIndex.Records(List.copyOf(pending));
        pending.clear();
        for (JobIndex.Command q : queries) {
            ctx.asJava().getSelf().tell(new JobIndex.Waited(q)); // reaches the index while it writes the batch
        }
        queries.clear();
        return target.apply(ctx, batch);
    }
}
