package dev.colony.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The serving process {@link H2ServedTest} kills: serves the H2 journal in the data directory it is
 * given ({@link H2Server}, any free port) with a table {@code acked}, prints {@code READY} and
 * serves until killed.
 */
public final class H2ServeMain {

    private H2ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        JournalSettings journal = JournalSettings.h2(Path.of(args[0]));
        try (H2Server server = H2Server.start(journal, 0, 0)) {
            try (Connection c = journal.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS acked (id BIGINT PRIMARY KEY)");
            }
            System.out.println("READY " + server.port());
            Thread.sleep(Long.MAX_VALUE); // serves until killed
        }
    }
}
