package dev.colony.actors.data;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.Subscription;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Aeron channel strings of the data plane, with its mtu and term length. */
public final class Channels {

    private Channels() {
    }

    /** The UDP channel to (or, subscribed, on) {@code host:port}; port 0 binds any free port. */
    public static String udp(String host, int port, DataSettings settings) {
        return new ChannelUriStringBuilder().media("udp").endpoint(host + ":" + port).mtu(settings.mtu())
                .termLength(settings.termLength()).build();
    }

    static String ipc(DataSettings settings) {
        return new ChannelUriStringBuilder().media("ipc").termLength(settings.termLength()).build();
    }

    /** The port a UDP subscription bound (the free one it picked for port 0), waiting up to 5 s for the bind. */
    public static int boundPort(Subscription s) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<String> addresses = s.localSocketAddresses();
            if (!addresses.isEmpty()) {
                String a = addresses.getFirst();
                return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("the UDP endpoint " + s.channel() + " did not bind within 5 s");
    }
}
