package dev.colony.actors.data;

import io.aeron.ChannelUriStringBuilder;

/** Aeron channel strings of the data plane. */
final class Channels {

    private Channels() {
    }

    static String udp(String host, int port, DataSettings settings) {
        return new ChannelUriStringBuilder().media("udp").endpoint(host + ":" + port).mtu(settings.mtu())
                .termLength(settings.termLength()).build();
    }

    static String ipc(DataSettings settings) {
        return new ChannelUriStringBuilder().media("ipc").termLength(settings.termLength()).build();
    }
}
