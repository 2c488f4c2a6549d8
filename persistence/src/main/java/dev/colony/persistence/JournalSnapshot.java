package dev.colony.persistence;

/**
 * The latest snapshot of an entity as the journal's snapshot store holds it.
 *
 * @param sequenceNr the sequence number of the last event it includes
 * @param state      the deserialized state
 */
public record JournalSnapshot(String persistenceId, long sequenceNr, Object state) {
}
