package dev.colony.runtime.http;

import dev.colony.actors.kernel.Brief;
import java.util.Optional;

/**
 * Whether a request may come from where its headers say: its {@code Host} must be an allowed name
 * ({@link HttpSettings#allowsHost}; a DNS-rebinding page reaches a loopback API under its own name),
 * and its {@code Origin}, when it has one, must be the API's own (a page of another site in the
 * operator's browser). Pure and thread-safe.
 */
final class OriginCheck {

    private OriginCheck() {
    }

    /** Why a request with these headers (null: absent) is refused, or empty when it may proceed. */
    static Optional<String> refusal(HttpSettings settings, String host, String origin) {
        if (host != null && !settings.allowsHost(hostName(host))) {
            return Optional.of("Host '" + Brief.text(host) + "' is not one this API answers to "
                    + "(colony.http.allowed-hosts)");
        }
        String own = (settings.https() ? "https://" : "http://") + host;
        if (origin != null && (host == null || !origin.equalsIgnoreCase(own))) {
            return Optional.of("cross-origin requests are refused: Origin '" + Brief.text(origin)
                    + "' is not this API's own");
        }
        return Optional.empty();
    }

    /** The name in a {@code Host} header, without its port ({@code [::1]:8080} → {@code [::1]}). */
    static String hostName(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 || colon != hostHeader.lastIndexOf(':') ? hostHeader : hostHeader.substring(0, colon);
    }
}
