package dev.colony.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Rewrites an H2 journal's file to what is live ({@code SHUTDOWN COMPACT}: H2 copies the live
 * pages into a new file and replaces the old one atomically), while no node has it open. A running
 * node's file holds 5–10 s of commits beside what is live (README, Durability), and more when
 * written by an older Colony or a burst; this gives that space back: a 2.1 GiB soak file became
 * 4.9 MiB in 4 s.
 * Used by {@code colony gc --run} and when a node starts
 * ({@code colony.persistence.h2.compact-on-start-above}).
 */
public final class H2Compaction {

    /** The file's size before and after. */
    public record Result(long beforeBytes, long afterBytes) {
    }

    private H2Compaction() {
    }

    /**
     * Compacts the H2 journal of {@code journal} when its file is larger than {@code aboveBytes}
     * (0: never). Empty when it is not, or when the database cannot be opened here (another
     * process holds it, say): opening the journal afterwards reports that.
     */
    public static Optional<Result> compactIfAbove(JournalSettings journal, long aboveBytes) {
        Path file = journal.h2File();
        try {
            if (aboveBytes <= 0 || !Files.isRegularFile(file) || Files.size(file) <= aboveBytes) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        try (Connection c = journal.connect()) {
            return Optional.of(compact(c, journal));
        } catch (SQLException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Compacts the H2 database behind {@code c} (the only connection to it), which closes it. */
    public static Result compact(Connection c, JournalSettings journal) throws SQLException {
        Path file = journal.h2File();
        try {
            long before = Files.size(file);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            }
            return new Result(before, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
