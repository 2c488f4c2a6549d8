package dev.colony.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;

/**
 * The Akka configuration that sends Colony's events and snapshots to the journal of a
 * {@link JournalSettings}: akka-persistence-jdbc's journal, snapshot store and read journal, all
 * on one shared connection pool; a write or read of the journal fails after 30 s (its circuit
 * breaker's call timeout).
 */
public final class JournalConfig {

    private static final String DB = "akka-persistence-jdbc.shared-databases.colony";

    private JournalConfig() {
    }

    /** Configuration to put in front of the rest (it names plugins and the database). */
    public static Config of(JournalSettings s) {
        if (s.kind() == JournalSettings.Kind.MEMORY) {
            return ConfigFactory.parseMap(Map.of(
                    "akka.persistence.journal.plugin", "akka.persistence.journal.inmem",
                    "akka.persistence.snapshot-store.plugin", "akka.persistence.no-snapshot-store"));
        }
        boolean h2 = s.kind() == JournalSettings.Kind.H2;
        Map<String, Object> values = Map.ofEntries(
                Map.entry("akka.persistence.journal.plugin", "jdbc-journal"),
                Map.entry("akka.persistence.snapshot-store.plugin", "jdbc-snapshot-store"),
                Map.entry("jdbc-journal.use-shared-db", "colony"),
                Map.entry("jdbc-snapshot-store.use-shared-db", "colony"),
                Map.entry("jdbc-read-journal.use-shared-db", "colony"),
                Map.entry(DB + ".profile", h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$"),
                Map.entry(DB + ".db.connectionPool", "HikariCP"),
                Map.entry(DB + ".db.url", s.jdbcUrl()),
                Map.entry(DB + ".db.user", s.user() == null ? "" : s.user()),
                Map.entry(DB + ".db.password", s.password() == null ? "" : s.password()),
                Map.entry(DB + ".db.driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver"),
                Map.entry(DB + ".db.numThreads", 4),
                Map.entry(DB + ".db.maxConnections", 4),
                Map.entry(DB + ".db.minConnections", 1),
                Map.entry(DB + ".db.connectionTimeout", 10_000),
                // Akka's 10 s turned a journal slowed by load (three processes and PostgreSQL on two
                // cores) into failed writes: ten of them open the breaker, every entity then fails for
                // 30 s and restarts, and the sharding coordinator's store of remembered shards stopped.
                // A journal that is down still fails at once (the connection is refused).
                Map.entry("jdbc-journal.circuit-breaker.call-timeout", "30s"),
                Map.entry("jdbc-snapshot-store.circuit-breaker.call-timeout", "30s"));
        if (s.groupCommit()) {
            values = new java.util.HashMap<>(values);
            values.put("jdbc-journal.class", H2DurableJournal.class.getName());
            values.put("jdbc-journal.colony-h2-data-dir", s.dataDir().toString());
        } else if (s.served()) {
            values = new java.util.HashMap<>(values);
            values.put("jdbc-journal.class", H2DurableJournal.class.getName());
            values.put("jdbc-journal.colony-h2-data-dir", s.dataDir().toString());
            values.put("jdbc-journal.colony-h2-served-url", s.url());
        }
        Config c = ConfigFactory.empty();
        for (var e : values.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return c;
    }
}
