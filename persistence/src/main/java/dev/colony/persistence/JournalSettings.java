package dev.colony.persistence;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where events are journalled.
 *
 * @param kind     H2 (an embedded file database under {@code dataDir}) or PostgreSQL
 * @param dataDir  directory of the H2 database (ignored for PostgreSQL); for a served one, the
 *                 serving process's
 * @param url      JDBC URL for PostgreSQL; for H2, null, or the URL of the journal another process
 *                 of this host serves ({@link H2Server})
 * @param user     database user
 * @param password database password
 * @param h2WriteDelayMs for H2: how long a commit may stay in memory before it reaches the file
 *                 (0, the default: none; more is faster, but a crash loses what was committed since)
 */
public record JournalSettings(Kind kind, Path dataDir, String url, String user, String password, int h2WriteDelayMs) {

    /** H2's write delay under group commit: the longest an unacknowledged commit waits for the file. */
    static final int GROUP_COMMIT_WRITE_DELAY_MS = 1_000;

    /**
     * H2's retention time under group commit: how long after it was written a chunk's space may be
     * reused. H2's 45 s assumes the operating system writes a file's pages to disk within that
     * time; {@link H2GroupCommit} forces the file to disk every {@link H2GroupCommit#SYNC_EVERY_MS},
     * so 5 s keeps the same margin and the file holds 5–10 s of writes instead of 45–90 s.
     */
    static final int GROUP_COMMIT_RETENTION_MS = 5_000;

    /** H2's own retention time, set explicitly because H2 keeps the setting in the file. */
    static final int H2_RETENTION_MS = 45_000;

    /** Largest event or snapshot H2 keeps in its row rather than in its LOB store (see {@link #jdbcUrl()}). */
    static final int H2_INPLACE_LOB_BYTES = 128 * 1024;

    /** The journals Colony supports. */
    public enum Kind {
        /** Embedded H2 file database: the default, for one node. */
        H2,
        /** A PostgreSQL server: for production and for clusters. */
        POSTGRES,
        /** Akka's in-memory journal: nothing survives the process (tests, benchmarks' baseline). */
        MEMORY
    }

    /** Checks that the fields the kind needs are present. */
    public JournalSettings {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.H2 && dataDir == null) {
            throw new IllegalArgumentException("colony.persistence.data-dir must be set for the h2 journal");
        }
        if (kind == Kind.POSTGRES && (url == null || url.isBlank())) {
            throw new IllegalArgumentException("colony.persistence.postgres.url must be set for the postgres journal");
        }
    }

    /** Journal settings with no H2 write delay. */
    public JournalSettings(Kind kind, Path dataDir, String url, String user, String password) {
        this(kind, dataDir, url, user, password, 0);
    }

    /** An H2 journal in {@code dataDir}, each commit written to the file before it returns. */
    public static JournalSettings h2(Path dataDir) {
        return h2(dataDir, 0);
    }

    /** An H2 journal in {@code dataDir} whose commits may stay in memory up to {@code writeDelayMs}. */
    public static JournalSettings h2(Path dataDir, int writeDelayMs) {
        return new JournalSettings(Kind.H2, dataDir, null, "sa", "", writeDelayMs);
    }

    /**
     * The H2 journal in data directory {@code dataDir} that another process of this host serves at
     * {@code url} (which holds its key: never printed).
     */
    public static JournalSettings h2Served(Path dataDir, String url) {
        return new JournalSettings(Kind.H2, dataDir, url, "sa", "", 0);
    }

    /** Whether this is an H2 journal another process serves ({@link H2Server}). */
    public boolean served() {
        return kind == Kind.H2 && url != null;
    }

    /** A PostgreSQL journal at {@code url}. */
    public static JournalSettings postgres(String url, String user, String password) {
        return new JournalSettings(Kind.POSTGRES, null, url, user, password);
    }

    /** An in-memory journal. */
    public static JournalSettings memory() {
        return new JournalSettings(Kind.MEMORY, null, null, null, null);
    }

    /**
     * Whether this is an H2 journal with no write delay, whose journal answers a write only once it
     * is in the file ({@link H2GroupCommit}, {@link H2DurableJournal}).
     */
    public boolean groupCommit() {
        return kind == Kind.H2 && url == null && h2WriteDelayMs == 0;
    }

    /** The JDBC URL the journal uses (null for the in-memory journal). */
    public String jdbcUrl() {
        return kind == Kind.MEMORY ? null : kind == Kind.POSTGRES || served() ? url
                // One process owns the file (a second one fails with a clear lock error); the database closes
                // with the actor system, so a tool may open it after a node stops. H2 keeps commits in
                // memory up to WRITE_DELAY; with Colony's write delay 0 (the default) that is H2's 1 s,
                // and the journal answers a write only once it is in the file (H2GroupCommit: one chunk
                // for every write waiting, where WRITE_DELAY=0 wrote one per commit); a kill -9 then
                // loses nothing answered (H2StoreHeader: without a store header written after each group
                // commit, a kill -9 lost answered commits once H2 reused space). RETENTION_TIME: see
                // GROUP_COMMIT_RETENTION_MS; H2's 45 s without the group commit, which does not force the file.
                // MAX_LENGTH_INPLACE_LOB: events and snapshots up to 128 KiB are kept in their row; H2's
                // 256 bytes sent nearly every event (a batch of task reports) to its LOB store, which
                // costs maps written per commit and a cleaner thread per delete (3.3 % of a JMH profile).
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("journal") + ";WRITE_DELAY="
                + (groupCommit() ? GROUP_COMMIT_WRITE_DELAY_MS : h2WriteDelayMs)
                + ";RETENTION_TIME=" + (groupCommit() ? GROUP_COMMIT_RETENTION_MS : H2_RETENTION_MS)
                + ";MAX_LENGTH_INPLACE_LOB=" + H2_INPLACE_LOB_BYTES;
    }

    /**
     * A plain JDBC connection to the journal's database (for Colony's own tables: health, lease,
     * retention); for H2, in this process it shares the database the journal has open.
     */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** The H2 journal's file ({@code journal.mv.db} in the data directory). */
    public Path h2File() {
        if (kind != Kind.H2) {
            throw new IllegalStateException("the " + kind + " journal has no H2 file");
        }
        return dataDir.toAbsolutePath().normalize().resolve("journal.mv.db");
    }

    /** {@link #describe()}: never the password, nor a served journal's key. */
    @Override
    public String toString() {
        return describe();
    }

    /** A one-line description for logs and errors, without the password. */
    public String describe() {
        return switch (kind) {
            case POSTGRES -> "PostgreSQL journal at " + url + " (user " + user + ")";
            case H2 -> (served() ? "H2 journal served (by another process) at " : "H2 journal at ") + h2File();
            case MEMORY -> "in-memory journal";
        };
    }
}
