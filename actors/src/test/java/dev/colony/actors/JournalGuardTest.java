package dev.colony.actors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.pattern.CircuitBreakerOpenException;
import akka.persistence.typed.internal.JournalFailureException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

/** Which recovery failures leave an entity restarting (the journal is away) and which make it unreadable. */
class JournalGuardTest {

    @Test
    void shouldTreatAnOpenCircuitBreakerOrATimeoutAsAJournalAwayNotAsUnreadable() {
        // Under load the journal's circuit breaker opens; recoveries then fail fast with this, and
        // once made whole jobs fail as if their journal were corrupt.
        assertTrue(JournalGuard.unreachable(recovery(new CircuitBreakerOpenException(
                FiniteDuration.apply(30, "s"), "Circuit Breaker is open; calls are failing fast"))));
        assertTrue(JournalGuard.unreachable(recovery(new TimeoutException("Circuit Breaker Timed out."))));
        assertTrue(JournalGuard.unreachable(recovery(new SQLException("connection refused"))));
        assertFalse(JournalGuard.unreachable(recovery(new IllegalArgumentException("unknown event type"))));
    }

    private static Throwable recovery(Throwable cause) {
        return new JournalFailureException("Exception during recovery. Last known sequence number [0]", cause);
    }
}
