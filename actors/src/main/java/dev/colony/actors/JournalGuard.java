package dev.colony.actors;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.Signal;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.CircuitBreakerOpenException;
import akka.persistence.typed.PersistenceId;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one entity's unreadable journal (an event of an unknown type, a corrupt row) from taking
 * the entity into a restart loop: when its recovery fails for such a reason, the entity becomes
 * the behavior {@code onUnreadable} builds (which answers with an error naming the persistence
 * id), and every other entity goes on. A journal that cannot be <em>reached</em> (an
 * {@link SQLException}, a timeout or an open circuit breaker in the cause) is not unreadable: the
 * entity restarts with {@link #RESTART_AFTER_JOURNAL_FAILURE} until it is back.
 */
public final class JournalGuard {

    /**
     * What a guarded entity does when the journal fails a write or a recovery (a database that went
     * away): it restarts with back-off, 0.2 s doubling up to 10 s, and recovers its state from the
     * journal; what was not journalled is asked for again (a task asks its job, a job releases its
     * unfinished tasks). Pass it to the entity's constructor.
     */
    public static final BackoffSupervisorStrategy RESTART_AFTER_JOURNAL_FAILURE =
            SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

    private static final Logger LOG = LoggerFactory.getLogger(JournalGuard.class);

    private volatile Throwable recoveryFailure;
    private volatile boolean recovered;
    // Commands that arrived while the entity recovered: the entity stashes them, and a failed
    // recovery drops its stash, so they are handed to the unreadable behavior instead.
    private final java.util.List<Object> duringRecovery = new java.util.ArrayList<>();

    private JournalGuard() {
    }

    /** Called by the entity's {@code RecoveryCompleted} signal handler. */
    public void recoveryCompleted() {
        recovered = true;
        duringRecovery.clear();
    }

    /** Called by the entity's {@code RecoveryFailed} signal handler. */
    public void recoveryFailed(Throwable cause) {
        recoveryFailure = cause;
    }

    /**
     * The entity {@code factory} builds (handing it the guard to report recovery failures to),
     * turned into {@code onUnreadable}'s behavior if its journal turns out unreadable.
     */
    @SuppressWarnings("unchecked")
    public static <C> Behavior<C> guard(PersistenceId pid, Class<C> commands,
                                        Function<JournalGuard, Behavior<C>> factory,
                                        Function<Throwable, Behavior<C>> onUnreadable) {
        return Behaviors.setup(ctx -> {
            JournalGuard guard = new JournalGuard();
            Behavior<Object> inner = (Behavior<Object>) (Behavior<?>) factory.apply(guard);
            return (Behavior<C>) (Behavior<?>) Behaviors.intercept(() -> guard.interceptor(pid, commands,
                    (Function<Throwable, Behavior<Object>>) (Function<?, ?>) onUnreadable), inner);
        });
    }

    /** A one-line description of why a journal could not be read. */
    public static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    /**
     * Whether {@code cause} says the journal could not be reached or did not answer in time (an
     * SQL error, a timeout, or the journal's circuit breaker open after timeouts under load), as
     * opposed to an unreadable event: the entity then restarts until it can read its journal.
     */
    static boolean unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof CircuitBreakerOpenException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private BehaviorInterceptor<Object, Object> interceptor(PersistenceId pid, Class<?> commands,
                                                            Function<Throwable, Behavior<Object>> onUnreadable) {
        return new BehaviorInterceptor<>(Object.class) {
            @Override
            public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
                if (!recovered && commands.isInstance(msg)) {
                    duringRecovery.add(msg);
                }
                return check(ctx, target.apply(ctx, msg));
            }

            @Override
            public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
                return check(ctx, target.apply(ctx, signal));
            }

            private Behavior<Object> check(TypedActorContext<Object> ctx, Behavior<Object> next) {
                Throwable cause = recoveryFailure;
                if (cause == null || unreachable(cause)) {
                    return next; // recovering, or restarting until the journal is back
                }
                LOG.error("the journal of {} cannot be read; the entity answers with an error from now on: {}",
                        pid.id(), describe(cause));
                duringRecovery.forEach(m -> ctx.asJava().getSelf().tell(m));
                duringRecovery.clear();
                recovered = true;
                return onUnreadable.apply(cause);
            }
        };
    }
}
