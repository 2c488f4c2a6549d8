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
 * {@code churn} and adds a row to {@code log}, whose old rows another thread deletes in batches (as
 * retention does), so chunks die and their space is reused while it runs; {@link H2Leaks} sweeps
 * every second (it exits with 3 if a sweep fails).
 * Arguments: the data directory, the first id, the number of writer threads.
 */
public final class H2CrashWriter {

    static final int CHURN_ROWS = 2_000;

    static final int KEPT_LOG_ROWS = 2_000;

    private H2CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        JournalSettings journal = JournalSettings.h2(Path.of(args[0]));
        AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
        int threads = Integer.parseInt(args[2]);
        try (Connection c = journal.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acked (id BIGINT PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS churn (slot INT PRIMARY KEY, v VARCHAR(400))");
            s.execute("CREATE TABLE IF NOT EXISTS log (id BIGINT AUTO_INCREMENT PRIMARY KEY, job VARCHAR(40), v VARCHAR(400))");
            s.execute("CREATE INDEX IF NOT EXISTS log_job ON log (job)");
            s.execute("MERGE INTO churn SELECT X, 'x' FROM SYSTEM_RANGE(0, " + (CHURN_ROWS - 1) + ")");
        }
        H2GroupCommit commits = H2GroupCommit.acquire(journal, TimeUnit.MILLISECONDS.toNanos(2));
        sweepEverySecond(journal);
        Thread.ofPlatform().daemon().start(() -> deleteOldLogRows(journal));
        System.out.println("READY");
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> write(journal, commits, next, new SplittableRandom(seed)));
            w.start();
        }
    }

    /**
     * Sweeps for forgotten pages every second besides the group commit's own sweeps (every 10 s), so
     * that counting pages removed runs, and gets killed, while the writers write.
     */
    private static void sweepEverySecond(JournalSettings journal) throws SQLException {
        Connection c = journal.connect();
        H2Leaks leaks = new H2Leaks(H2GroupCommit.mvStore(c), 2_000);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(1_000); // a period, not a wait for anything
                    if (leaks.sweep() > 0) {
                        System.out.println("FREED " + leaks.freed());
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }
        });
    }

    /** Like retention: every half second, deletes all but the newest log rows, 200 per transaction. */
    private static void deleteOldLogRows(JournalSettings journal) {
        try (Connection c = journal.connect();
             PreparedStatement old = c.prepareStatement("SELECT job FROM log ORDER BY id DESC OFFSET " + KEPT_LOG_ROWS
                     + " ROWS FETCH FIRST 2000 ROWS ONLY");
             PreparedStatement delete = c.prepareStatement("DELETE FROM log WHERE job = ?")) {
            c.setAutoCommit(false);
            while (true) {
                Thread.sleep(500); // a period, not a wait for anything
                java.util.List<String> jobs = new java.util.ArrayList<>();
                try (var r = old.executeQuery()) {
                    while (r.next()) {
                        jobs.add(r.getString(1));
                    }
                }
                c.commit();
                for (int i = 0; i < jobs.size(); i++) {
                    delete.setString(1, jobs.get(i));
                    delete.executeUpdate();
                    if (i % 200 == 199) {
                        c.commit();
                    }
                }
                c.commit();
            }
        } catch (SQLException | InterruptedException e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    private static void write(JournalSettings journal, H2GroupCommit commits, AtomicLong next, SplittableRandom random) {
        String pad = "y".repeat(300);
        try (Connection c = journal.connect();
             PreparedStatement add = c.prepareStatement("INSERT INTO acked VALUES (?)");
             PreparedStatement churn = c.prepareStatement("UPDATE churn SET v = ? WHERE slot = ?");
             PreparedStatement log = c.prepareStatement("INSERT INTO log (job, v) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            while (true) {
                long id = next.getAndIncrement();
                add.setLong(1, id);
                add.executeUpdate();
                churn.setString(1, pad + id);
                churn.setInt(2, random.nextInt(CHURN_ROWS));
                churn.executeUpdate();
                log.setString(1, "job-" + id);
                log.setString(2, pad);
                log.executeUpdate();
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
