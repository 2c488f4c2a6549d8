package dev.colony.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The client side of a served H2 journal's group commit ({@link H2Server}): writes that want to
 * know they are in the file wait here, and one thread asks the serving process for every write
 * waiting at once ({@code CALL COLONY_STORED()} on a connection of its own), one call after another.
 * A call that begins after a write was committed returns once a store that began after it is in
 * the file. One per served journal, shared by its users.
 */
final class H2RemoteCommit implements H2DurableJournal.Commits {

    private static final Map<String, H2RemoteCommit> OPEN = new HashMap<>();

    private final String url;
    private final JournalSettings journal;
    private final Thread thread;
    private final CommitWaiters waiters;
    private int users; // under OPEN
    private Connection connection; // the thread's; null until first used or after it broke

    private H2RemoteCommit(JournalSettings journal) {
        this.journal = journal;
        this.url = journal.jdbcUrl();
        this.waiters = new CommitWaiters(journal.describe());
        this.thread = new Thread(this::run, "colony-h2-remote-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** The remote group commit of {@code journal} (served), started by its first user; {@link #release} when done. */
    static H2RemoteCommit acquire(JournalSettings journal) {
        synchronized (OPEN) {
            H2RemoteCommit r = OPEN.computeIfAbsent(journal.jdbcUrl(), u -> new H2RemoteCommit(journal));
            r.users++;
            return r;
        }
    }

    /** Completes once everything committed before this call is in the serving process's file. */
    public CompletionStage<Void> durable() {
        return waiters.add();
    }

    /** This user is done; the last one stops the thread. */
    public void release() {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(url);
        }
        waiters.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch = waiters.take(0);
            if (batch.isEmpty()) {
                close();
                return; // closed, nothing waits
            }
            try {
                if (connection == null) {
                    connection = journal.connect();
                }
                try (Statement s = connection.createStatement()) {
                    s.setQueryTimeout(30);
                    s.execute("CALL " + H2Server.STORED + "()");
                }
                CommitWaiters.answer(batch, null);
            } catch (SQLException | RuntimeException e) {
                close(); // a broken connection is opened again for the next batch
                CommitWaiters.answer(batch, e);
            }
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // broken anyway
            }
            connection = null;
        }
    }
}
