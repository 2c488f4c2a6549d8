package dev.colony.runtime.internal;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.CompletableFuture;

/**
 * A one-shot actor that completes a future with the first reply it gets, then stops. Lets
 * {@code Colony.submit} wait for a job of any length without an ask timeout; fails the future if
 * the runtime stops first.
 */
public final class ResultWaiter<T> extends AbstractOnMessageBehavior<T> {

    /** A waiter for one reply of type {@code T}; {@code what} completes "Colony stopped before ...". */
    public static <T> Behavior<T> create(CompletableFuture<T> future, String what) {
        return Behaviors.setup(ctx -> new ResultWaiter<>(ctx, future, what));
    }

    private final CompletableFuture<T> future;
    private final String what;

    private ResultWaiter(ActorContext<T> context, CompletableFuture<T> future, String what) {
        super(context);
        this.future = future;
        this.what = what;
    }

    @Override
    public Behavior<T> onMessage(T msg) {
        future.complete(msg);
        return Behaviors.stopped();
    }

    @Override
    public Behavior<T> onSignal(Signal signal) {
        if (signal instanceof PostStop) {
            future.completeExceptionally(new IllegalStateException("Colony stopped before " + what));
        }
        return this;
    }
}
