package dev.colony.runtime.http;

import com.typesafe.config.Config;
import dev.colony.runtime.internal.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP API's settings, {@code colony.http.*}. {@link #toString()} never shows the token or the
 * keystore password.
 *
 * @param enabled        whether this runtime serves the API
 * @param host           the address it binds to
 * @param port           its port (0: any free port)
 * @param token          the bearer token every request must carry; empty: none (only allowed on a
 *                       loopback address)
 * @param maxBodyBytes   the largest request body; larger ones are answered 413
 * @param allowedHosts   the names a request's {@code Host} may carry (and its {@code Origin}, when it
 *                       has one); empty: the loopback names on a loopback address (filled in
 *                       here, so no request resolves an address), any elsewhere
 * @param maxConnections most connections open at once; past it the oldest idle one is closed
 * @param headerTimeout  how long a connection may take to send a request's head, from its opening
 *                       or its last answer
 * @param intakeThreads  threads that parse and check submitted specs
 * @param intakeQueue    specs that may wait for those threads; past it, 503
 * @param keystore       a PKCS#12 keystore with the server's key and certificate: HTTPS; null: HTTP
 * @param keystorePassword its password
 * @param acceptTimeout  how long {@code POST /jobs} waits for the job's acceptance to be journalled
 *                       before it answers 504
 * @param maxAccepting   most {@code POST /jobs} waiting for their acceptance at once; past it, 429
 */
public record HttpSettings(boolean enabled, String host, int port, String token, long maxBodyBytes,
                           List<String> allowedHosts, int maxConnections, Duration headerTimeout,
                           int intakeThreads, int intakeQueue, Path keystore, String keystorePassword,
                           Duration acceptTimeout, int maxAccepting) {

    /** The names of this machine's loopback interface a browser may put in {@code Host}. */
    public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** Checks values so that a bad setting fails at start with the key named. */
    public HttpSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("colony.http.port = " + port + " must lie in 0..65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("colony.http.max-body = " + maxBodyBytes + " bytes must be positive");
        }
        if (maxConnections < 2 || intakeThreads < 1 || intakeQueue < 0) {
            throw new IllegalArgumentException("colony.http.max-connections (" + maxConnections + ") must be at least 2, "
                    + "intake-threads (" + intakeThreads + ") at least 1 and intake-queue (" + intakeQueue + ") >= 0");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("colony.http.header-timeout = " + headerTimeout + " must be positive");
        }
        if (acceptTimeout.isNegative() || acceptTimeout.isZero()) {
            throw new IllegalArgumentException("colony.http.accept-timeout = " + acceptTimeout + " must be positive");
        }
        if (maxAccepting < 1) {
            throw new IllegalArgumentException("colony.http.max-accepting = " + maxAccepting + " must be at least 1");
        }
        boolean loopback = enabled && SettingValues.loopback("colony.http.host", host); // resolved once, here
        if (enabled && token.isEmpty() && !loopback) {
            throw new IllegalArgumentException("colony.http.host = " + host + " is reachable from other machines: "
                    + "set colony.http.token (or COLONY_HTTP_TOKEN, or colony.http.token-file) to a bearer token "
                    + "clients must send");
        }
        allowedHosts = allowedHosts.isEmpty() && loopback ? LOOPBACK_NAMES
                : allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Plain HTTP on {@code host}, with the defaults of {@code reference.conf} for the rest. */
    public HttpSettings(boolean enabled, String host, int port, String token, long maxBodyBytes) {
        this(enabled, host, port, token, maxBodyBytes, List.of(), 256, Duration.ofSeconds(10), 2, 32, null, "",
                Duration.ofSeconds(15), 32);
    }

    /** Reads {@code colony.http} of {@code colony}; the token comes from {@code token-file} when that is set. */
    public static HttpSettings of(Config colony) {
        Config h = colony.getConfig("http");
        String token = h.getString("token");
        String tokenFile = h.getString("token-file");
        if (!tokenFile.isEmpty()) {
            token = SettingValues.secretIn("colony.http.token-file", tokenFile);
        }
        String keystore = h.getString("tls.keystore");
        return new HttpSettings(h.getBoolean("enabled"), h.getString("host"), h.getInt("port"), token,
                h.getBytes("max-body"), h.getStringList("allowed-hosts"), h.getInt("max-connections"),
                h.getDuration("header-timeout"), h.getInt("intake-threads"), h.getInt("intake-queue"),
                keystore.isEmpty() ? null : Path.of(keystore), h.getString("tls.keystore-password"),
                h.getDuration("accept-timeout"), h.getInt("max-accepting"));
    }

    /** Whether the API is served over TLS. */
    public boolean https() {
        return keystore != null;
    }

    /** Whether {@code hostName} (from a {@code Host} or {@code Origin} header, without its port) may be used. */
    public boolean allowsHost(String hostName) {
        return allowedHosts.isEmpty() || allowedHosts.contains(hostName.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "HttpSettings[enabled=" + enabled + ", " + (https() ? "https" : "http") + "://" + host + ":" + port
                + ", token=" + (token.isEmpty() ? "none" : "(set)") + ", maxBodyBytes=" + maxBodyBytes
                + ", allowedHosts=" + allowedHosts + ", maxConnections=" + maxConnections + ", headerTimeout="
                + headerTimeout + ", intake=" + intakeThreads + "/" + intakeQueue + "]";
    }
}
