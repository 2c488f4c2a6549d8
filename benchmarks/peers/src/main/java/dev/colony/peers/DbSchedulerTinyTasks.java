package dev.colony.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Colony's tiny-task workload on db-scheduler, a durable, cluster-friendly task scheduler for the
 * JVM that keeps its tasks in one database table: {@code --tasks} one-time tasks that do nothing,
 * scheduled in batches of {@code --job-size} (one insert batch each) for now; the score counts from
 * the first insert until the table is empty (a one-time task's row is deleted when it succeeds).
 * Warm-up batches of the same size first, for {@code --warm-up-seconds} (60). Tuned for throughput
 * as its README advises: immediate execution, a 100 ms polling interval, {@code --threads}
 * (default 8 per core) and on PostgreSQL the lock-and-fetch polling strategy
 * ({@code SELECT … FOR UPDATE SKIP LOCKED}). {@code --journal h2}: a fresh H2 file with the URL
 * Colony's journal uses ({@code WRITE_DELAY=0}: each commit on disk before it returns, as durable as
 * Colony on H2; {@code MAX_LENGTH_INPLACE_LOB} as Colony's); {@code postgres}:
 * COLONY_POSTGRES_URL / _USER / _PASSWORD, the table in a fresh schema dropped at the end. Both
 * through a HikariCP pool, as deployed.
 */
public final class DbSchedulerTinyTasks {

    private DbSchedulerTinyTasks() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = Rate.option(args, "--tasks", 20_000);
        int batch = Rate.option(args, "--job-size", 1_000);
        String journal = Rate.text(args, "--journal", "h2");
        int threads = Rate.option(args, "--threads", 8 * Runtime.getRuntime().availableProcessors());
        String schema = "dbsched_peer_" + Long.toString(System.currentTimeMillis(), 36);
        boolean postgres = journal.equals("postgres");
        DataSource raw;
        Path h2Dir = null;
        if (journal.equals("h2")) {
            h2Dir = Files.createTempDirectory("dbsched-peer");
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + h2Dir.resolve("db") + ";WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=131072");
            raw = h2;
        } else if (postgres) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(System.getenv("COLONY_POSTGRES_URL"));
            pg.setUser(System.getenv().getOrDefault("COLONY_POSTGRES_USER", "postgres"));
            pg.setPassword(System.getenv().getOrDefault("COLONY_POSTGRES_PASSWORD", ""));
            sql(pg, "CREATE SCHEMA " + schema);
            pg.setCurrentSchema(schema);
            raw = pg;
        } else {
            throw new IllegalArgumentException("--journal " + journal + ": h2 or postgres");
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(raw);
        pool.setMaximumPoolSize(threads + 4);
        HikariDataSource ds = new HikariDataSource(pool); // as deployed: a PostgreSQL connection per call costs ~10 ms
        try {
            sql(ds, postgres ? POSTGRES_TABLE : H2_TABLE);
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> { });
            var builder = Scheduler.create(ds, noop).threads(threads).pollingInterval(Duration.ofMillis(100))
                    .enableImmediateExecution();
            if (postgres) { // H2 has no SKIP LOCKED; on PostgreSQL faster than the default here (4.4k vs 3.0k/s)
                builder.pollUsingLockAndFetch(0.5, 1.0);
            }
            Scheduler scheduler = builder.build();
            scheduler.start();
            Rate.warmUp(args, round -> run(scheduler, noop, ds, tasks, batch, "w" + round + "-"));
            long t0 = System.nanoTime();
            run(scheduler, noop, ds, tasks, batch, "m");
            Rate.print("db-scheduler " + journal + " (" + threads + " threads)", tasks, System.nanoTime() - t0);
            scheduler.stop();
        } finally {
            if (postgres) {
                sql(ds, "DROP SCHEMA " + schema + " CASCADE");
            }
            ds.close();
            if (h2Dir != null) {
                try (var files = Files.walk(h2Dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    private static void run(Scheduler scheduler, OneTimeTask<Void> noop, DataSource ds, int tasks, int batch,
                            String round) throws Exception {
        for (int start = 0; start < tasks; start += batch) {
            List<TaskInstance<?>> instances = new ArrayList<>();
            for (int i = start; i < Math.min(tasks, start + batch); i++) {
                instances.add(noop.instance(round + i));
            }
            scheduler.scheduleBatch(instances, Instant.now());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (count(ds) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("db-scheduler left " + count(ds) + " of " + tasks
                        + " tasks after 30 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static long count(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void sql(DataSource ds, String statements) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    /** db-scheduler's table, as its README gives it for PostgreSQL. */
    private static final String POSTGRES_TABLE = """
            CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
              execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
              last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,
              last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT,
              PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)
            """;

    /** The same for H2. */
    private static final String H2_TABLE = """
            CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,
              task_data BLOB, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,
              picked_by VARCHAR(50), last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,
              consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,
              priority SMALLINT, PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)
            """;
}
