package dev.colony.runtime.internal;

import dev.colony.actors.job.Bytes;
import dev.colony.actors.kernel.Brief;
import dev.colony.persistence.JournalSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Whether this process can write its journal, checked every {@code colony.health.check-every} on
 * a thread of its own: a test write (committed, then read back, which is where H2 reports a write
 * that never reached its file) and, for the H2 journal, the free space of its disk against
 * {@code colony.health.journal-reserve}. H2 keeps taking commits in memory on a full disk, so an
 * answer given then would not be durable: while the journal cannot be written the node takes no
 * work and the API answers 503 with the reason. It recovers by itself when the write works again.
 * For a PostgreSQL journal it also keeps the cluster's {@link JournalLease}: a process that finds
 * another live cluster on its journal takes no work either.
 *
 * <p>Thread safety: {@link #problem()} may be called from any thread.
 */
public final class JournalHealth implements AutoCloseable {

    private static final String TABLE = "colony_health";

    private final JournalSettings journal;
    private final String member;
    private final long reserveBytes;
    private final Consumer<String> onChange;
    private final JournalLease lease; // null: H2 (one process holds its file) or no cluster
    private boolean closed;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "colony-journal-health");
        t.setDaemon(true);
        return t;
    });
    private volatile String problem;
    private Connection connection; // the checking thread's only

    private JournalHealth(JournalSettings journal, String member, long reserveBytes, Consumer<String> onChange,
                          JournalLease lease) {
        this.journal = journal;
        this.lease = lease;
        this.member = member;
        this.reserveBytes = reserveBytes;
        this.onChange = onChange;
    }

    /**
     * Checks {@code journal} now and then every {@code every}; {@code onChange} is told each new
     * problem (null: it can be written again).
     *
     * @param cluster this process's cluster, whose lease on a PostgreSQL journal it keeps
     */
    public static JournalHealth start(JournalSettings journal, akka.cluster.typed.Cluster cluster, long reserveBytes,
                                      Duration every, Duration leaseTtl, Consumer<String> onChange) {
        JournalHealth health = new JournalHealth(journal, cluster.selfMember().address().toString(), reserveBytes,
                onChange, journal.kind() == JournalSettings.Kind.POSTGRES ? new JournalLease(cluster, leaseTtl) : null);
        health.check();
        health.thread.scheduleWithFixedDelay(health::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    /** Why the journal cannot be written now, or empty when it can. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private synchronized void check() {
        if (closed) {
            return;
        }
        String found;
        try {
            found = lowDisk();
            if (found == null) {
                testWrite();
                found = lease == null ? null : lease.renew(connection);
            }
        } catch (SQLException | RuntimeException e) {
            found = "a test write failed: " + rootMessage(e) + (String.valueOf(e.getMessage()).contains("[90098")
                    ? " (H2 closed the journal after a write failed; restart this node once the disk has room)" : "");
            closeConnection();
        }
        if (!java.util.Objects.equals(found, problem)) {
            problem = found;
            onChange.accept(found);
        }
    }

    /** For the H2 journal: why its disk has too little room left, or null. */
    private String lowDisk() {
        if (journal.kind() != JournalSettings.Kind.H2) {
            return null;
        }
        Path dir = journal.dataDir().toAbsolutePath();
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            return free >= reserveBytes ? null : "the disk of " + dir + " has " + Bytes.format(free) + " free, less "
                    + "than colony.health.journal-reserve = " + Bytes.format(reserveBytes);
        } catch (java.io.IOException e) {
            return "the disk of " + dir + " cannot be asked for its free space: " + Brief.text(e.getMessage());
        }
    }

    private void testWrite() throws SQLException {
        if (connection == null) {
            connection = journal.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (member VARCHAR(255) PRIMARY KEY, beat BIGINT)");
            }
            if (lease != null) {
                JournalLease.createTable(connection);
            }
            connection.setAutoCommit(false);
        }
        String upsert = journal.kind() == JournalSettings.Kind.H2
                ? "MERGE INTO " + TABLE + " KEY (member) VALUES (?, ?)"
                : "INSERT INTO " + TABLE + " (member, beat) VALUES (?, ?) ON CONFLICT (member) DO UPDATE SET beat = "
                + "EXCLUDED.beat";
        try (PreparedStatement p = connection.prepareStatement(upsert)) {
            p.setQueryTimeout(10);
            p.setString(1, member);
            p.setLong(2, System.currentTimeMillis());
            p.executeUpdate();
        }
        connection.commit();
        try (Statement s = connection.createStatement()) {
            s.setQueryTimeout(10);
            s.executeQuery("SELECT beat FROM " + TABLE + " WHERE member = '" + member.replace("'", "''") + "'").close();
        }
        connection.commit();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced
            }
            connection = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + Brief.text(root.getMessage());
    }

    /** Stops checking and gives up the cluster lease if this process holds it; idempotent. */
    @Override
    public void close() {
        thread.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (lease != null && connection != null) {
                try {
                    lease.release(connection);
                } catch (SQLException e) {
                    // it lapses after its time-to-live
                }
            }
            closeConnection();
        }
    }
}
