package dev.colony.runtime;

/**
 * This process cannot write its journal now (a full disk, a database that is down), so it takes
 * no job: what it answered could not be made durable. Transient: it checks again every
 * {@code colony.health.check-every} and takes jobs as soon as the write works.
 */
public final class JournalUnavailableException extends IllegalStateException {

    /** The journal cannot be written, for {@code reason}. */
    public JournalUnavailableException(String reason) {
        super("this node cannot write its journal, so it takes no jobs until it can (it checks every "
                + "colony.health.check-every): " + reason);
    }
}
