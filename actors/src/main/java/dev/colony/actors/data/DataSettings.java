package dev.colony.actors.data;

import java.time.Duration;

/**
 * How a process's data plane runs ({@code colony.data.*}).
 *
 * @param host        address to listen on and to announce to peers
 * @param port        UDP port; 0 picks a free one
 * @param aeronDir    directory of an Aeron media driver already running on this host, shared with
 *                    other processes (they then use IPC); empty: an embedded driver of our own
 * @param mtu         largest UDP datagram Aeron sends; a transfer is cut into messages this size
 * @param termLength  Aeron term buffer length per publication (a power of two, 64 KiB..1 GiB)
 * @param idleTimeout a fetch fails when no byte arrived for this long
 * @param idlePark    how long the data plane's threads park at a time once no traffic came for a
 *                    second (1 ms..1 s)
 */
public record DataSettings(String host, int port, String aeronDir, int mtu, int termLength, Duration idleTimeout,
                           Duration idlePark) {

    /** {@code colony.data.idle-park}'s default. */
    public static final Duration DEFAULT_IDLE_PARK = Duration.ofMillis(10);

    /** Checks ranges, naming the setting, the value and the limit. */
    public DataSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("colony.data.port = " + port + " must lie in 0..65535");
        }
        if (mtu < 4096 || mtu > 65504 || mtu % 32 != 0) {
            throw new IllegalArgumentException("colony.data.mtu = " + mtu
                    + " must be a multiple of 32 in 4096..65504");
        }
        if (termLength < 65536 || termLength > (1 << 30) || Integer.bitCount(termLength) != 1) {
            throw new IllegalArgumentException("colony.data.term-length = " + termLength
                    + " must be a power of two in 64 KiB..1 GiB");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("colony.data.idle-timeout = " + idleTimeout + " must be positive");
        }
        if (idlePark.compareTo(Duration.ofMillis(1)) < 0 || idlePark.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("colony.data.idle-park = " + idlePark + " must lie in 1ms..1s");
        }
    }

    /** Loopback defaults for tests: a free port, an embedded driver. */
    public static DataSettings loopback() {
        return new DataSettings("127.0.0.1", 0, "", 65504, 16 << 20, Duration.ofSeconds(10), DEFAULT_IDLE_PARK);
    }
}
