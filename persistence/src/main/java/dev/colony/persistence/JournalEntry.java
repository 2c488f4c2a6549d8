package dev.colony.persistence;

/**
 * One event as the journal holds it.
 *
 * @param ordering    the journal's global order (events of different ids sort by it)
 * @param timestampMs when it was written (epoch ms)
 * @param event       the deserialized event
 */
public record JournalEntry(String persistenceId, long sequenceNr, long ordering, long timestampMs, Object event) {
}
