package dev.colony.runtime.cli;

import dev.colony.persistence.JournalSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A PostgreSQL schema of its own for a benchmark's cluster, so that it starts on an empty journal
 * (no remembered shards or jobs of an earlier cluster), as an H2 journal in a new data directory does.
 */
final class BenchSchema {

    private static final String SCRIPT = "schema/postgres/postgres-create-schema.sql";

    private BenchSchema() {
    }

    /** Creates a schema named {@code prefix} and a random suffix in {@code journal}'s database; returns its name. */
    static String create(JournalSettings journal, String prefix) throws SQLException {
        String schema = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        // akka-persistence-jdbc's own script, which names the public schema.
        String script;
        try (InputStream in = BenchSchema.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the class path");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("public.", schema + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = journal.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            for (String statement : script.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        return schema;
    }

    /** {@code journal}'s URL with {@code schema} as the connections' current schema. */
    static String url(JournalSettings journal, String schema) {
        return journal.url() + (journal.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops {@code schema} and everything in it; a failure is printed, not thrown (the result stands). */
    static void drop(JournalSettings journal, String schema) {
        try (Connection c = journal.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop the benchmark's schema " + schema + ": " + e.getMessage());
        }
    }
}
