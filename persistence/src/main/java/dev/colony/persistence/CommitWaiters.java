package dev.colony.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Writes waiting to hear that what they committed is in the journal's file, which one thread
 * takes in batches and answers together ({@link H2GroupCommit} in the process that holds the file,
 * {@link H2RemoteCommit} in the others).
 */
final class CommitWaiters {

    private final String journal; // for the error of a write that comes after close
    private List<CompletableFuture<Void>> waiting = new ArrayList<>(); // under this
    private boolean closed; // under this

    /** Waiters of the journal {@code journal} describes. */
    CommitWaiters(String journal) {
        this.journal = journal;
    }

    /** A wait that completes when a batch taken after this call is answered (failed at once once closed). */
    synchronized CompletionStage<Void> add() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the " + journal + " is closing"));
            return f;
        }
        waiting.add(f);
        notifyAll();
        return f;
    }

    /**
     * Blocks until a write waits, then until {@code System.nanoTime()} reaches {@code notBefore}
     * (so that more join it), and takes every write waiting; empty once closed and none waits.
     */
    synchronized List<CompletableFuture<Void>> take(long notBefore) {
        while (waiting.isEmpty() && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                closed = true;
            }
        }
        for (long left; !closed && (left = notBefore - System.nanoTime()) > 0; ) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                closed = true;
            }
        }
        List<CompletableFuture<Void>> batch = waiting;
        waiting = new ArrayList<>();
        return batch;
    }

    /** No more writes: the taking thread gets what still waits, then an empty batch. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Answers {@code batch}: stored when {@code failure} is null. */
    static void answer(List<CompletableFuture<Void>> batch, Throwable failure) {
        for (CompletableFuture<Void> f : batch) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }
}
