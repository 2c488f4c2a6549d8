package dev.colony.actors.output;

/** An output could not be written (quota, disk) or read back intact (missing, torn, altered). */
public sealed class OutputStoreException extends RuntimeException permits OutputLostException {

    OutputStoreException(String message) {
        super(message);
    }

    OutputStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
