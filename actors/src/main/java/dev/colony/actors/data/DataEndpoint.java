package dev.colony.actors.data;

import dev.colony.actors.CborSerializable;

/**
 * Where a process's data plane listens: a UDP endpoint on the cluster's addresses, and the media
 * driver it uses. Two processes on the same driver (one host, a shared {@code colony.data.aeron-dir})
 * talk over Aeron IPC instead of UDP.
 *
 * @param host   address peers send to
 * @param port   UDP port of the data plane
 * @param driver identity of the Aeron media driver: its directory and the host name
 */
public record DataEndpoint(String host, int port, String driver) implements CborSerializable {

    /** {@code host:port}, as logs and errors print it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
