package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.pattern.CircuitBreakerOpenException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

/** Each kind of failure gets its own status and a text that says what to do; none is a bare 500. */
class FailuresTest {

    @Test
    void shouldAnswer504NamingWhatDidNotAnswer() {
        var late = Failures.naming(CompletableFuture.failedFuture(new TimeoutException("ask timed out")), "job 'j'");
        Throwable failure = late.handle((v, e) -> e).toCompletableFuture().join();
        Failures.Answer a = Failures.of(failure);
        assertEquals(504, a.status().intValue());
        assertTrue(a.error().startsWith("job 'j' did not answer in time"), a.error());
        assertEquals(504, Failures.of(new CompletionException(new TimeoutException())).status().intValue());
    }

    @Test
    void shouldAnswer503WithRetryAfterForAnOpenBreakerOrAStoppingNode() {
        var open = Failures.of(new CircuitBreakerOpenException(FiniteDuration.apply(7, "s"), "open"));
        assertEquals(503, open.status().intValue());
        assertEquals(7, open.retryAfterSeconds());
        assertTrue(open.error().contains("the journal is unavailable"), open.error());
        var stopping = Failures.of(new IllegalStateException("Colony stopped before job 'j' ended"));
        assertEquals(503, stopping.status().intValue());
        assertTrue(stopping.retryAfterSeconds() > 0);
    }

    @Test
    void shouldNameAnUnexpectedErrorWithoutQuotingMoreThanAFewWords() {
        var a = Failures.of(new CompletionException(new IllegalArgumentException("x".repeat(10_000))));
        assertEquals(500, a.status().intValue());
        assertTrue(a.error().startsWith("internal error: IllegalArgumentException: xxx"), a.error());
        assertTrue(a.error().length() < 300, a.error());
    }
}
