package dev.colony.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Group commit for an embedded H2 journal. H2 writes every commit as a chunk of its own when its
 * write delay is 0, and keeps each chunk about 45 s: a node doing ~1,000 commits a second held
 * 1.5–2.4 GiB of file for a journal of 35,000 rows (README, Durability). Instead the database runs
 * with H2's write delay and a write is acknowledged only once a store of H2's pages that began
 * after it has reached the file: {@link #durable} waits for the next such store, and one thread
 * makes them one after another, at most one per linger (2 ms by default): a write that finds the
 * last store older is stored at once, one that comes sooner waits for the linger to pass, and
 * every write waiting meanwhile shares its chunk. A 20,000-job soak, before H2 reused space
 * sooner (below): 1.5 GiB of file with a chunk per commit, 800 MiB with no linger, 604 MiB with a
 * linger after every first write (and no slower). A {@code kill -9}
 * still loses nothing acknowledged (what is in the file survives the process; like H2's own
 * commits, a store does not wait for the disk). A second thread forces the file to disk every
 * {@value #SYNC_EVERY_MS} ms when it was written, which lets H2 reuse a chunk's space 5 s after
 * writing it instead of 45 s ({@link JournalSettings#GROUP_COMMIT_RETENTION_MS}), and after each store
 * the store header is pointed at it ({@link H2StoreHeader}: without that a kill -9 lost acknowledged
 * commits once H2 reused space). Every {@value #SWEEP_EVERY_SYNCS} s it also frees the chunks H2
 * keeps for pages it forgot were replaced ({@link H2Leaks}). One per database, shared by its users.
 */
public final class H2GroupCommit implements H2DurableJournal.Commits {

    /** How often the file is forced to disk, when something was written since. */
    static final long SYNC_EVERY_MS = 1_000;

    /** Every this many syncs, chunks older than twice H2's retention are swept for forgotten pages ({@link H2Leaks}). */
    static final int SWEEP_EVERY_SYNCS = 10;

    private static final Map<String, H2GroupCommit> OPEN = new HashMap<>();

    private final String url;
    private final Connection connection; // keeps the database open while anyone uses this
    private final MVStore store;
    private final H2StoreHeader header;
    private final H2Leaks leaks;
    private final Thread thread;
    private final Thread syncer;
    private final long lingerNanos;
    private long lastStoreNanos = System.nanoTime(); // when the latest store began; the committing thread's
    private final CommitWaiters waiters;
    private int users; // under OPEN
    private boolean sweeping = true; // syncer thread only

    private H2GroupCommit(JournalSettings journal, long lingerNanos) throws SQLException {
        this.url = journal.jdbcUrl();
        this.waiters = new CommitWaiters(journal.describe());
        this.lingerNanos = lingerNanos;
        this.connection = journal.connect();
        this.store = mvStore(connection);
        this.header = new H2StoreHeader(store);
        this.leaks = new H2Leaks(store, 2L * JournalSettings.GROUP_COMMIT_RETENTION_MS);
        this.thread = new Thread(this::run, "colony-h2-group-commit");
        thread.setDaemon(true);
        thread.start();
        this.syncer = new Thread(this::syncEverySecond, "colony-h2-sync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /** The MVStore under an embedded H2 connection (H2's internals: no API gives it). */
    static MVStore mvStore(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }

    /**
     * The group commit of {@code journal}'s database, started by its first user, whose
     * {@code lingerNanos} it waits after a write before storing (so that more writes share the
     * chunk); {@link #release} when done.
     */
    public static H2GroupCommit acquire(JournalSettings journal, long lingerNanos) throws SQLException {
        synchronized (OPEN) {
            H2GroupCommit g = OPEN.get(journal.jdbcUrl());
            if (g == null) {
                g = new H2GroupCommit(journal, lingerNanos);
                OPEN.put(g.url, g);
            }
            g.users++;
            return g;
        }
    }

    /**
     * Waits until what this process committed to {@code journal}'s database is in the file: for
     * plain JDBC writes (retention's deletes, say) that must not come back after a crash once
     * something depends on them (in a served journal, the serving process's file). Returns at once for
     * other journals, and for H2 with a write delay.
     */
    public static void awaitDurable(JournalSettings journal) throws SQLException {
        if (!journal.groupCommit() && !journal.served()) {
            return;
        }
        H2DurableJournal.Commits commits = journal.served() ? H2RemoteCommit.acquire(journal) : acquire(journal, 0);
        try {
            commits.durable().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the " + journal.describe() + " to reach its file", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SQLException("the " + journal.describe() + " did not reach its file: " + e, e);
        } finally {
            commits.release();
        }
    }

    /**
     * Pages H2 had forgotten were replaced that the open group commit of {@code journal}'s database
     * counted removed so far ({@link H2Leaks}); -1 when none is open.
     */
    public static long forgottenPagesFreed(JournalSettings journal) {
        synchronized (OPEN) {
            H2GroupCommit g = OPEN.get(journal.jdbcUrl());
            return g == null ? -1 : g.leaks.freed();
        }
    }

    /** The open group commit of the database whose store is {@code store}, or null. */
    static H2GroupCommit of(MVStore store) {
        synchronized (OPEN) {
            for (H2GroupCommit g : OPEN.values()) {
                if (g.store == store) {
                    return g;
                }
            }
            return null;
        }
    }

    /** This user is done; the last one stops it (after a final store) and lets the database close. */
    public void release() {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(url);
        }
        waiters.close();
        LockSupport.unpark(syncer);
        try {
            thread.join(10_000);
            syncer.join(10_000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // the database is closing anyway
        }
    }

    private boolean isClosed() {
        return waiters.isClosed();
    }

    /** Completes once everything committed before this call is in the file. */
    public CompletionStage<Void> durable() {
        return waiters.add();
    }

    /** Forces the file to disk every {@value #SYNC_EVERY_MS} ms in which H2 wrote to it, until closed. */
    private void syncEverySecond() {
        long synced = -1;
        for (int tick = 1; ; tick++) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SYNC_EVERY_MS);
            for (long left; !isClosed() && (left = until - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left); // its own wait, not woken by every write
            }
            if (isClosed()) {
                return; // closing the database writes and forces the rest
            }
            try {
                long written = store.getFileStore().getWriteCount();
                if (written != synced) {
                    store.sync();
                    synced = written;
                }
            } catch (RuntimeException e) {
                return; // the store closed under us: nothing more to force
            }
            if (sweeping && tick % SWEEP_EVERY_SYNCS == 0) {
                sweep();
            }
        }
    }

    /** One {@link H2Leaks#sweep}; one that fails stops the sweeps (the file then creeps, as without them). */
    private void sweep() {
        try {
            leaks.sweep();
        } catch (Throwable e) {
            sweeping = false;
            if (!isClosed() && !store.isClosed()) {
                System.err.println("colony: H2 journal " + url + ": stopped freeing forgotten pages: " + e);
            }
        }
    }

    private void run() {
        while (true) {
            // At most one store per linger: a write that finds the last store a linger old or more
            // is stored at once (a linger after every first write cost a lone job's dispatch a
            // quarter of its rate), one that comes sooner waits, and the writes of others join it
            List<CompletableFuture<Void>> batch = waiters.take(lastStoreNanos + lingerNanos);
            if (batch.isEmpty()) {
                return; // closed, nothing waits
            }
            lastStoreNanos = System.nanoTime();
            try {
                store.commit(); // writes the chunk of everything committed so far, and returns when it is written
                header.write();
                CommitWaiters.answer(batch, null);
            } catch (RuntimeException e) {
                CommitWaiters.answer(batch, e);
            }
        }
    }
}
