package dev.colony.persistence;

import akka.actor.ActorRef;
import akka.actor.ClassicActorSystemProvider;
import akka.pattern.Patterns;
import akka.persistence.Persistence;
import akka.persistence.SnapshotProtocol;
import akka.persistence.SnapshotSelectionCriteria;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.stream.javadsl.Sink;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a JDBC journal back (akka-persistence-jdbc's read journal): which persistence ids it
 * holds and their events in order. For operators' tools, and for the runtime's last word on
 * whether a job exists; the actors never use it.
 */
public final class JournalReader {

    private final ClassicActorSystemProvider system;
    private final JdbcReadJournal journal;
    private final Duration timeout;

    /** A reader over the journal the actor system is configured with ({@link JournalConfig}). */
    public JournalReader(ClassicActorSystemProvider system, Duration timeout) {
        this.system = system;
        this.journal = PersistenceQuery.get(system.classicSystem())
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        this.timeout = timeout;
    }

    /** Every persistence id in the journal, sorted. */
    public List<String> persistenceIds() {
        return await(journal.currentPersistenceIds().runWith(Sink.seq(), system)).stream().sorted().toList();
    }

    /**
     * The events of {@code persistenceId} in sequence order.
     *
     * @throws IllegalStateException naming the id when a row cannot be read or deserialized
     */
    public List<JournalEntry> events(String persistenceId) {
        try {
            return await(journal.currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
                    .map(e -> new JournalEntry(e.persistenceId(), e.sequenceNr(),
                            e.offset() instanceof Sequence s ? s.value() : 0, e.timestamp(), e.event()))
                    .runWith(Sink.seq(), system));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot read the events of " + persistenceId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The latest snapshot of {@code persistenceId} in the journal's snapshot store, or empty when it
     * has none (or the journal keeps no snapshots). Entities that delete their events on snapshot
     * (the learner) are read from it, then from their events after it.
     */
    public Optional<JournalSnapshot> latestSnapshot(String persistenceId) {
        ActorRef store = Persistence.get(system.classicSystem()).snapshotStoreFor("", ConfigFactory.empty());
        Object reply = await(Patterns.ask(store, new SnapshotProtocol.LoadSnapshot(persistenceId,
                SnapshotSelectionCriteria.latest(), Long.MAX_VALUE), timeout));
        return switch (reply) {
            case SnapshotProtocol.LoadSnapshotResult r when r.snapshot().isDefined() -> Optional.of(new JournalSnapshot(
                    persistenceId, r.snapshot().get().metadata().sequenceNr(), r.snapshot().get().snapshot()));
            case SnapshotProtocol.LoadSnapshotResult r -> Optional.empty();
            case SnapshotProtocol.LoadSnapshotFailed f -> throw new IllegalStateException(
                    "cannot read the snapshot of " + persistenceId + ": " + f.cause().getMessage(), f.cause());
            default -> throw new IllegalStateException("unexpected answer of the snapshot store: "
                    + reply.getClass().getSimpleName());
        };
    }

    /**
     * Whether {@code persistenceId} has at least one event, without blocking: reads its first
     * event only (the answer the runtime gives before saying an id is unknown).
     */
    public java.util.concurrent.CompletionStage<Boolean> hasEvents(String persistenceId) {
        return journal.currentEventsByPersistenceId(persistenceId, 0, 1).take(1)
                .runWith(Sink.headOption(), system).thenApply(Optional::isPresent);
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IllegalStateException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the journal did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the journal", e);
        }
    }
}
