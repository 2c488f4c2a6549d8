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
