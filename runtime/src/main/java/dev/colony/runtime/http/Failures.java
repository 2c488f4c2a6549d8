package dev.colony.runtime.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.pattern.CircuitBreakerOpenException;
import dev.colony.actors.kernel.Brief;
import dev.colony.runtime.JournalUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What the API answers when a request cannot be served, so that a client can tell "try again"
 * from "broken": a part of the cluster that did not answer in time is 504 naming it; a journal
 * whose circuit breaker is open, or a node that is stopping, is 503 with {@code Retry-After};
 * anything else is 500 naming the error. Every one is a JSON {@code {"error": ...}}.
 */
final class Failures {

    /** A status, the error's text and, for 503, after how many seconds to try again (0: no header). */
    record Answer(StatusCode status, String error, long retryAfterSeconds) {
    }

    /** {@code what} (a job, the job list, a node) did not answer within the time allowed. */
    static final class Unanswered extends RuntimeException {
        Unanswered(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private Failures() {
    }

    /** {@code stage}, whose time-out (an ask's 10 s) fails it as {@link Unanswered} naming {@code what}. */
    static <T> CompletionStage<T> naming(CompletionStage<T> stage, String what) {
        return timingOut(stage, what + " did not answer in time (a member may be restarting or overloaded); retry");
    }

    /** {@code stage}, whose time-out fails it as {@link Unanswered} with {@code message}. */
    static <T> CompletionStage<T> timingOut(CompletionStage<T> stage, String message) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException) {
                throw new Unanswered(message, cause);
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
    }

    /** The answer for {@code failure}. */
    static Answer of(Throwable failure) {
        Throwable e = unwrap(failure);
        return switch (e) {
            case Unanswered u -> new Answer(StatusCodes.GATEWAY_TIMEOUT, u.getMessage(), 0);
            case TimeoutException t -> new Answer(StatusCodes.GATEWAY_TIMEOUT, "the cluster did not answer in time "
                    + "(a member may be restarting or overloaded); retry", 0);
            case CircuitBreakerOpenException c -> new Answer(StatusCodes.SERVICE_UNAVAILABLE, "the journal is "
                    + "unavailable (its circuit breaker opened after failed writes); retry after "
                    + seconds(c.remainingDuration()) + " s", seconds(c.remainingDuration()));
            case JournalUnavailableException j -> new Answer(StatusCodes.SERVICE_UNAVAILABLE, j.getMessage(), 5);
            case IllegalStateException s when s.getMessage() != null && s.getMessage().startsWith("Colony stopped")
                    -> new Answer(StatusCodes.SERVICE_UNAVAILABLE, "this node is stopping; send the request to "
                    + "another member", 5);
            default -> new Answer(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Brief.text(e.getMessage())) + " (the node's log has the "
                    + "details)", 0);
        };
    }

    private static long seconds(scala.concurrent.duration.FiniteDuration d) {
        return Math.max(1, Duration.ofNanos(d.toNanos()).toSeconds());
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
