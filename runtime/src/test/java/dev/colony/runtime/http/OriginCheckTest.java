package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginCheckTest {

    private final HttpSettings loopback = new HttpSettings(true, "127.0.0.1", 8080, "", 1024);
    private final HttpSettings exposed = new HttpSettings(true, "0.0.0.0", 8080, "t", 1024, List.of("colony.example"),
            256, Duration.ofSeconds(10), 2, 32, null, "", Duration.ofSeconds(15), 32);

    @Test
    void shouldLetTheApisOwnPagesAndPlainClientsThrough() {
        assertEquals(Optional.empty(), OriginCheck.refusal(loopback, "127.0.0.1:8080", null));
        assertEquals(Optional.empty(), OriginCheck.refusal(loopback, "localhost:8080", "http://localhost:8080"));
        assertEquals(Optional.empty(), OriginCheck.refusal(loopback, "[::1]:8080", "http://[::1]:8080"));
        assertEquals(Optional.empty(), OriginCheck.refusal(loopback, null, null));
        assertEquals(Optional.empty(), OriginCheck.refusal(exposed, "colony.example", "http://colony.example"));
    }

    @Test
    void shouldRefuseForeignHostsAndOrigins() {
        assertTrue(OriginCheck.refusal(loopback, "rebound.example:8080", null).orElseThrow().contains("allowed-hosts"));
        assertTrue(OriginCheck.refusal(loopback, "127.0.0.1:8080", "http://evil.example").orElseThrow()
                .contains("cross-origin"));
        assertTrue(OriginCheck.refusal(loopback, "127.0.0.1:8080", "http://127.0.0.1:9999").isPresent(), "another port");
        assertTrue(OriginCheck.refusal(loopback, "127.0.0.1:8080", "null").isPresent());
        assertTrue(OriginCheck.refusal(exposed, "other.example", null).isPresent());
        assertTrue(OriginCheck.refusal(loopback, "x".repeat(10_000), null).orElseThrow().length() < 300);
    }

    @Test
    void shouldTakeThePortOffAHostHeader() {
        assertEquals("localhost", OriginCheck.hostName("localhost:8080"));
        assertEquals("[::1]", OriginCheck.hostName("[::1]:8080"));
        assertEquals("127.0.0.1", OriginCheck.hostName("127.0.0.1"));
    }
}
