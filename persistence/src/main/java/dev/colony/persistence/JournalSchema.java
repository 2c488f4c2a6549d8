package dev.colony.persistence;

import akka.actor.ClassicActorSystemProvider;
import akka.persistence.jdbc.testkit.javadsl.SchemaUtils;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the journal's tables on first start; idempotent. */
public final class JournalSchema {

    private JournalSchema() {
    }

    /**
     * Opens the journal, creating its tables if they are missing, and tries again with doubling
     * waits (from {@code backoff}, at most 8 times that) while it cannot be reached: a database
     * still starting, an H2 file another process holds. Nothing else has touched the journal when
     * this gives up, so a failed start leaves no partial state.
     *
     * @param attempts how many times to try, at least 1
     * @param onRetry  told each failure that will be retried (for a warning in the log)
     * @throws IllegalStateException naming the journal, the cause and the attempts after the last one
     */
    public static void prepare(ClassicActorSystemProvider system, JournalSettings settings, int attempts,
                               Duration backoff, Duration timeout, java.util.function.Consumer<String> onRetry) {
        if (settings.kind() == JournalSettings.Kind.MEMORY) {
            return;
        }
        long waitMs = Math.max(1, backoff.toMillis());
        long started = System.nanoTime();
        for (int i = 1; ; i++) {
            try {
                createIfNotExists(system, settings, timeout);
                return;
            } catch (IllegalStateException e) {
                if (i >= attempts) {
                    long s = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                    throw new IllegalStateException(e.getMessage() + " (gave up after " + i + " attempt"
                            + (i == 1 ? "" : "s") + " in " + s + " s; colony.persistence.start-attempts)", e);
                }
                onRetry.accept(e.getMessage() + "; attempt " + i + " of " + attempts + ", retrying in " + waitMs + " ms");
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the " + settings.describe(), ie);
                }
                waitMs = Math.min(waitMs * 2, Math.max(1, backoff.toMillis()) * 8);
            }
        }
    }

    /**
     * Creates the journal, snapshot and tag tables if they are missing.
     *
     * @throws IllegalStateException naming the journal and the cause when the database cannot be reached
     */
    public static void createIfNotExists(ClassicActorSystemProvider system, JournalSettings settings, Duration timeout) {
        try {
            SchemaUtils.createIfNotExists(system).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare the " + settings.describe() + ": " + rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the " + settings.describe() + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the " + settings.describe(), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
