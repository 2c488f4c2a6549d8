package dev.colony.runtime.internal;

import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.OutputSweep;
import dev.colony.persistence.H2GroupCommit;
import dev.colony.persistence.JournalSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Retention of ended jobs ({@code colony.retention.*}): each ended job is recorded in the
 * journal's database ({@code colony_ended}); every {@code every}, the cluster's oldest member
 * deletes the events and snapshots of the ended jobs older than {@code max-age} or beyond the
 * newest {@code keep} (its job and task entities: their persistence ids), unless the job carries
 * the label {@code pin-label = "true"}; and every process deletes the outputs in its own store of
 * jobs whose events are gone. {@link #collect} is also what {@code colony gc} runs.
 *
 * <p>Thread safety: {@link #ended} may be called from any thread; the rest runs on its own thread.
 */
public final class Retention implements AutoCloseable {

    private static final String TABLE = "colony_ended";

    /** The settings: whether it runs, the age and count kept, how often, and the label that pins a job. */
    public record Settings(boolean enabled, Duration maxAge, int keep, Duration every, String pinLabel) {

        /** Reads {@code colony.retention} of {@code colony}. */
        public static Settings of(Config colony) {
            Config r = colony.getConfig("retention");
            Settings s = new Settings(r.getBoolean("enabled"), r.getDuration("max-age"), r.getInt("keep"),
                    r.getDuration("every"), r.getString("pin-label"));
            if (s.keep < 0 || s.maxAge.isNegative() || s.every.isNegative() || s.every.isZero()) {
                throw new IllegalArgumentException("colony.retention: keep (" + s.keep + ") and max-age (" + s.maxAge
                        + ") must be >= 0 and every (" + s.every + ") positive");
            }
            return s;
        }
    }

    /** What a collection found, and deleted when asked to. */
    public record Report(int ended, List<String> due, long eventRows, long snapshotRows) {
    }

    private record Ended(String jobId, long atMs, boolean pinned) {
    }

    private final JournalSettings journal;
    private final Settings settings;
    private final OutputStore outputs;
    private final Cluster cluster;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Retention.class);

    private final Consumer<String> forget;
    private final ConcurrentLinkedQueue<Ended> queue = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "colony-retention");
        t.setDaemon(true);
        return t;
    });
    private Connection connection; // the retention thread's only
    private volatile boolean closing;
    private long lastCollectMs;
    private long collections;

    private Retention(JournalSettings journal, Settings settings, OutputStore outputs, Cluster cluster,
                      Consumer<String> forget) {
        this.forget = forget;
        this.journal = journal;
        this.settings = settings;
        this.outputs = outputs;
        this.cluster = cluster;
    }

    /**
     * Starts it for a durable journal; records ended jobs every second and collects every
     * {@code every}, telling {@code forget} each job it deleted (its entity may still be in memory).
     */
    public static Retention start(JournalSettings journal, Settings settings, OutputStore outputs, Cluster cluster,
                                  Consumer<String> forget) {
        Retention r = new Retention(journal, settings, outputs, cluster, forget);
        r.thread.scheduleWithFixedDelay(r::tick, 1, 1, TimeUnit.SECONDS);
        return r;
    }

    /** Records that job {@code jobId} ended at {@code atMs}; a pinned one is never deleted. */
    public void ended(String jobId, long atMs, Map<String, String> labels) {
        queue.add(new Ended(jobId, atMs, "true".equals(labels.get(settings.pinLabel()))));
    }

    private void tick() {
        try {
            if (connection == null) {
                connection = journal.connect();
                createTable(connection);
                connection.setAutoCommit(false);
            }
            record(connection);
            long now = System.currentTimeMillis();
            if (settings.enabled() && now - lastCollectMs >= settings.every().toMillis()) {
                lastCollectMs = now;
                if (oldest()) {
                    Report r = collect(connection, settings, now, true);
                    if (!r.due().isEmpty()) {
                        H2GroupCommit.awaitDurable(journal); // the deletes stay deleted before the outputs go
                    }
                    for (String id : r.due()) {
                        forget.accept(id);
                        OutputSweep.delete(outputs, id); // its outputs here; other members sweep theirs
                    }
                    if (!r.due().isEmpty()) {
                        LOG.info("retention: deleted {} ended job(s): {} event and {} snapshot row(s)", r.due().size(),
                                r.eventRows(), r.snapshotRows());
                    }
                }
                if (collections++ % 10 == 0) { // outputs here of jobs another member deleted
                    sweep(connection, outputs, settings.every().toMillis());
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (!closing) {
                LOG.warn("retention: {} (tried again in a second)", e.toString());
            }
            close(connection);
            connection = null;
        }
    }

    private void record(Connection c) throws SQLException {
        if (queue.isEmpty()) {
            return;
        }
        String sql = journal.kind() == JournalSettings.Kind.H2
                ? "MERGE INTO " + TABLE + " KEY (job_id) VALUES (?, ?, ?)"
                : "INSERT INTO " + TABLE + " (job_id, ended_at, pinned) VALUES (?, ?, ?) ON CONFLICT (job_id) DO NOTHING";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (Ended e; (e = queue.poll()) != null; ) {
                p.setString(1, e.jobId());
                p.setLong(2, e.atMs());
                p.setBoolean(3, e.pinned());
                p.addBatch();
            }
            p.executeBatch();
        }
        c.commit();
    }

    /** Whether this process is its cluster's oldest up member: the one that deletes. */
    private boolean oldest() {
        Member oldest = null;
        for (Member m : cluster.state().getMembers()) {
            if (m.status() == MemberStatus.up() && (oldest == null || m.isOlderThan(oldest))) {
                oldest = m;
            }
        }
        return oldest != null && oldest.uniqueAddress().equals(cluster.selfMember().uniqueAddress());
    }

    /**
     * The ended jobs due for deletion under {@code s} at {@code nowMs} (at most 5,000 a round), and
     * with {@code delete} their events, snapshots and records deleted.
     */
    public static Report collect(Connection c, Settings s, long nowMs, boolean delete) throws SQLException {
        createTable(c);
        Set<String> due = new LinkedHashSet<>();
        int ended;
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            r.next();
            ended = r.getInt(1);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT job_id FROM " + TABLE
                + " WHERE pinned = FALSE AND ended_at < ? ORDER BY ended_at LIMIT 5000")) {
            p.setLong(1, nowMs - s.maxAge().toMillis());
            ids(p, due);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT job_id FROM " + TABLE
                + " WHERE pinned = FALSE ORDER BY ended_at DESC, job_id OFFSET ? ROWS FETCH FIRST 5000 ROWS ONLY")) {
            p.setInt(1, s.keep());
            ids(p, due);
        }
        long events = 0;
        long snapshots = 0;
        if (delete) {
            int inTransaction = 0;
            for (String id : due) {
                events += deleteRows(c, "\"event_journal\"", id);
                snapshots += deleteRows(c, "\"snapshot\"", id);
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ?")) {
                    p.setString(1, id);
                    p.executeUpdate();
                }
                if (++inTransaction == 200 && !c.getAutoCommit()) { // a job's rows go together, in batches of jobs
                    c.commit();
                    inTransaction = 0;
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return new Report(ended, List.copyOf(due), events, snapshots);
    }

    /**
     * Deletes the outputs in {@code outputs} of jobs whose events are gone (retention deleted them),
     * leaving any that changed within {@code graceMs}.
     */
    public static long sweep(Connection c, OutputStore outputs, long graceMs) throws SQLException {
        long freed = 0;
        long before = System.currentTimeMillis() - graceMs;
        List<String> candidates = new ArrayList<>();
        OutputSweep.jobs(outputs).forEach((id, changed) -> {
            if (changed < before) {
                candidates.add(id);
            }
        });
        for (String id : candidates) {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM \"event_journal\" WHERE \"persistence_id\" = ?"
                    + " FETCH FIRST 1 ROWS ONLY")) {
                p.setString(1, "ColonyJob|" + id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        freed += OutputSweep.delete(outputs, id);
                    }
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return freed;
    }

    /**
     * Deletes the rows of job {@code id}'s entity and of its tasks' ({@code ColonyTask|id/...}, journals
     * an older version wrote); each by its index.
     */
    private static long deleteRows(Connection c, String table, String id) throws SQLException {
        long rows;
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE \"persistence_id\" = ?")) {
            p.setString(1, "ColonyJob|" + id);
            rows = p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE \"persistence_id\" >= ? AND "
                + "\"persistence_id\" < ?")) {
            p.setString(1, "ColonyTask|" + id + "/");
            p.setString(2, "ColonyTask|" + id + "0"); // '0' follows '/'
            return rows + p.executeUpdate();
        }
    }

    private static void ids(PreparedStatement p, Set<String> into) throws SQLException {
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                into.add(r.getString(1));
            }
        }
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id VARCHAR(255) PRIMARY KEY, ended_at BIGINT NOT "
                    + "NULL, pinned BOOLEAN NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS colony_ended_at ON " + TABLE + " (ended_at)");
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // replaced on the next tick
            }
        }
    }

    /** Stops, recording the jobs that ended since the last tick first. */
    @Override
    public void close() {
        closing = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
            if (!queue.isEmpty()) {
                if (connection == null) {
                    connection = journal.connect();
                    connection.setAutoCommit(false);
                }
                record(connection);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.warn("retention: {} ended job(s) not recorded at stop: {}", queue.size(), e.toString());
        }
        close(connection);
        connection = null;
    }
}
