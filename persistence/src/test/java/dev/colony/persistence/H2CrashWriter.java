package dev.colony.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link H2CrashTest} kills: writers commit on an H2 journal's database under group
 * commit and print {@code ACK n} once {@link H2GroupCommit#durable} says transaction {@code n} is in
 * the file. Each transaction adds its id to {@code acked} and rewrites a random row of
 * {@code churn}, so chunks die and their space is reused while it runs.
 * Arguments: the data directory, the first id, the number of writer threads.
 */
public final class H2CrashWriter {

    static final int CHURN_ROWS = 2_000;

    private H2CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        JournalSettings journal = JournalSettings.h2(Path.of(args[0]));
        AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
        int threads = Integer.parseInt(args[2]);
        try (Connection c = journal.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acked (id BIGINT PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS churn (slot INT PRIMARY KEY, v VARCHAR(400))");
            s.execute("MERGE INTO churn SELECT X, 'x' FROM SYSTEM_RANGE(0, " + (CHURN_ROWS - 1) + ")");
        }
        H2GroupCommit commits = H2GroupCommit.acquire(journal, TimeUnit.MILLISECONDS.toNanos(2));
        System.out.println("READY");
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> write(journal, commits, next, new SplittableRandom(seed)));
            w.start();
        }
    }

    private static void write(JournalSettings journal, H2GroupCommit commits, AtomicLong next, SplittableRandom random) {
        String pad = "y".repeat(300);
        try (Connection c = journal.connect();
             PreparedStatement add = c.prepareStatement("INSERT INTO acked VALUES (?)");
             PreparedStatement churn = c.prepareStatement("UPDATE churn SET v = ? WHERE slot = ?")) {
            c.setAutoCommit(false);
            while (true) {
                long id = next.getAndIncrement();
                add.setLong(1, id);
                add.executeUpdate();
                churn.setString(1, pad + id);
                churn.setInt(2, random.nextInt(CHURN_ROWS));
                churn.executeUpdate();
                c.commit();
                commits.durable().toCompletableFuture().join();
                System.out.println("ACK " + id);
            }
        } catch (SQLException e) {
            e.printStackTrace();
            System.exit(2);
        }
    }
}
