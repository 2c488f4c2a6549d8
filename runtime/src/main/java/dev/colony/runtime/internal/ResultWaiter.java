package dev.colony.runtime.internal;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.ResultParts;
import java.util.concurrent.CompletableFuture;

/**
 * A one-shot actor that completes a future with a job's result, then stops: the first
 * {@link JobResult}, or the last of its {@link ResultParts.Part}s, put together. Lets
 * {@code Colony.result} wait for a job of any length without an ask timeout; fails the future if
 * the runtime stops first.
 */
public final class ResultWaiter extends AbstractOnMessageBehavior<Object> {

    /** A waiter for one result; {@code what} completes "Colony stopped before ...". */
    public static Behavior<Object> create(CompletableFuture<JobResult> future, String what) {
        return Behaviors.setup(ctx -> new ResultWaiter(ctx, future, what));
    }

    private final CompletableFuture<JobResult> future;
    private final String what;
    private final ResultParts.Assembler parts = new ResultParts.Assembler();

    private ResultWaiter(ActorContext<Object> context, CompletableFuture<JobResult> future, String what) {
        super(context);
        this.future = future;
        this.what = what;
    }

    @Override
    public Behavior<Object> onMessage(Object msg) {
        JobResult whole = parts.offer(msg);
        if (whole == null) {
            return this;
        }
        future.complete(whole);
        return Behaviors.stopped();
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
        if (signal instanceof PostStop) {
            future.completeExceptionally(new IllegalStateException("Colony stopped before " + what));
        }
        return this;
    }
}
