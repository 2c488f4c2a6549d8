package dev.colony.runtime.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Compaction of the embedded H2 journal's file. Written with {@code WRITE_DELAY=0} (each commit
 * reaches the file before it returns), H2 runs no background writer, and that thread is also what
 * rewrites sparse chunks: without it the file only grows, even as retention deletes rows. This
 * does its work: rewrites chunks under the fill rate, a bounded amount per call.
 */
final class H2Maintenance {

    /** Rewrite chunks less full than this (percent). */
    private static final int TARGET_FILL_RATE = 80;

    /** Most bytes rewritten per call. */
    private static final int WRITE_LIMIT = 16 << 20;

    private H2Maintenance() {
    }

    /** Compacts the H2 database behind {@code c} (an embedded connection) a step. */
    static void compact(Connection c) throws SQLException {
        MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                .getMvStore();
        for (int i = 0; i < 4 && store.compact(TARGET_FILL_RATE, WRITE_LIMIT); i++) {
            // a few rounds: each rewrites at most WRITE_LIMIT bytes
        }
    }
}
