package dev.colony.actors.data;

/** A fetch over the data plane failed: the peer is unreachable, went silent, or answered an error. */
public final class FetchException extends RuntimeException {

    /** With a message naming the output and the peer. */
    public FetchException(String message) {
        super(message);
    }
}
