package dev.colony.actors.job;

import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.journal.japi.AsyncWriteJournal;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * An in-memory journal whose writes complete only when the test opens its gate (holds an entity in
 * the middle of a write while the test floods it with commands), and that can fail the next writes
 * (a database that went away). Every event goes through its serializer and back, as it would to a
 * real journal.
 */
public final class GatedJournal extends AsyncWriteJournal {

    private static volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private static final Map<String, List<PersistentRepr>> EVENTS = new ConcurrentHashMap<>();
    private static final AtomicInteger WRITES = new AtomicInteger();
    private static final AtomicInteger FAILING = new AtomicInteger();

    /** The next {@code n} writes fail (nothing of them is stored). */
    public static void failNextWrites(int n) {
        FAILING.set(n);
    }

    /** How many batches of writes the journal has been asked for. */
    public static int writes() {
        return WRITES.get();
    }

    /** Writes from now on wait until {@link #open()}. */
    public static void close() {
        gate = new CompletableFuture<>();
    }

    /** Completes every held write, and lets the next ones through. */
    public static void open() {
        gate.complete(null);
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        WRITES.incrementAndGet();
        if (FAILING.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return FutureConverters.asScala(CompletableFuture.failedFuture(
                    new IllegalStateException("the test's journal failed this write")));
        }
        List<Optional<Exception>> results = new ArrayList<>();
        for (AtomicWrite w : messages) {
            for (PersistentRepr p : CollectionConverters.asJava(w.payload())) {
                EVENTS.computeIfAbsent(p.persistenceId(), k -> new ArrayList<>()).add(p.withPayload(roundTrip(p.payload())));
            }
            results.add(Optional.empty());
        }
        return FutureConverters.asScala(gate.thenApply(x -> (Iterable<Optional<Exception>>) results));
    }

    private Object roundTrip(Object event) {
        Serialization serialization = SerializationExtension.get(context().system());
        Serializer serializer = serialization.findSerializerFor(event);
        byte[] bytes = serializer.toBinary(event);
        return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event)).get();
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        return FutureConverters.asScala(CompletableFuture.completedFuture(null));
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        long n = 0;
        for (PersistentRepr p : EVENTS.getOrDefault(persistenceId, List.of())) {
            if (p.sequenceNr() >= fromSequenceNr && p.sequenceNr() <= toSequenceNr && n++ < max) {
                replayCallback.accept(p);
            }
        }
        return FutureConverters.asScala(CompletableFuture.completedFuture(null));
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        long max = EVENTS.getOrDefault(persistenceId, List.of()).stream().mapToLong(PersistentRepr::sequenceNr)
                .max().orElse(0);
        return FutureConverters.asScala(CompletableFuture.completedFuture(max));
    }
}
