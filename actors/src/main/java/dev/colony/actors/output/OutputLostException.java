package dev.colony.actors.output;

/**
 * A stored output can no longer be had as recorded: its producer cannot serve it (the process is
 * gone, unreachable, or lost the file) or the bytes that came back fail their checksum. Running the
 * producing task again makes it anew; the job does that (lineage re-execution).
 */
public final class OutputLostException extends OutputStoreException {

    private final OutputRef ref;

    OutputLostException(OutputRef ref, String message, Throwable cause) {
        super(message, cause);
        this.ref = ref;
    }

    /** The output that was lost. */
    public OutputRef ref() {
        return ref;
    }
}
