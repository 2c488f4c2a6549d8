package dev.colony.runtime.http;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP API's settings, {@code colony.http.*}.
 *
 * @param enabled      whether this runtime serves the API
 * @param host         the address it binds to
 * @param port         its port (0: any free port)
 * @param token        the bearer token every request must carry; empty: none (only allowed on a
 *                     loopback address)
 * @param maxBodyBytes the largest request body; larger ones are answered 413
 */
public record HttpSettings(boolean enabled, String host, int port, String token, long maxBodyBytes) {

    /** Checks values so that a bad setting fails at start with the key named. */
    public HttpSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("colony.http.port = " + port + " must lie in 0..65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("colony.http.max-body = " + maxBodyBytes + " bytes must be positive");
        }
        if (enabled && token.isEmpty() && !loopback(host)) {
            throw new IllegalArgumentException("colony.http.host = " + host + " is reachable from other machines: "
                    + "set colony.http.token (or COLONY_HTTP_TOKEN) to a bearer token clients must send");
        }
    }

    /** Reads {@code colony.http} of {@code colony}. */
    public static HttpSettings of(Config colony) {
        Config h = colony.getConfig("http");
        return new HttpSettings(h.getBoolean("enabled"), h.getString("host"), h.getInt("port"), h.getString("token"),
                h.getBytes("max-body"));
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("colony.http.host = " + host + " is not a known address", e);
        }
    }
}
