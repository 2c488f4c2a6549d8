package dev.colony.runtime.cli;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.Bytes;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.persistence.H2GroupCommit;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code colony bench soak}: many small jobs through one embedded H2 node with retention on,
 * printing every tenth the jobs per second in it, the data directory's size (journal and outputs),
 * the bytes H2 wrote per job and how its file is used: the rows and outputs level off once
 * {@code keep} jobs have ended; the H2 file holds 5–10 s of writes (H2 reuses a chunk's space 5 s
 * after writing it, once all of it is dead), so its size follows the rate (README, Durability).
 * Each job is one {@code matrix} task whose output is a tensor file.
 */
final class SoakBench {

    private final int jobs;
    private final int keep;
    private final int inFlight;
    private final PrintStream out;

    SoakBench(int jobs, int keep, int inFlight, PrintStream out) {
        this.jobs = jobs;
        this.keep = keep;
        this.inFlight = inFlight;
        this.out = out;
    }

    /** Runs it in {@code dir}; true when every job succeeded. */
    boolean run(Path dir) throws Exception {
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { cpus = 2, memory = 2GiB }
                colony.learner.enabled = off
                colony.jobs.passivate-finished-after = 5s
                colony.retention { keep = %d, every = 2s }
                """.formatted(dir.toString().replace('\\', '/'), keep)));
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        long tenthStarted = started;
        long lastWritten = 0;
        int every = Math.max(1, jobs / 10);
        out.printf("soak: %d jobs (a 64x128 f32 tensor output each), retention keeps the newest %d, %d in flight%n",
                jobs, keep, inFlight);
        out.printf("%10s %10s %12s %12s %16s %12s %12s %12s%n", "jobs", "jobs/s", "journal", "written/job",
                "file/live/chunks", "event rows", "outputs", "data dir");
        try (Colony colony = Colony.start(settings)) {
            for (int i = 0; i < jobs; i++) {
                slots.acquire();
                JobSpec job = JobSpec.of("soak-" + i, List.of(TaskSpec.of("m", "matrix",
                        Map.of("rows", 64, "cols", 128, "seed", i))));
                colony.submit(job).whenComplete((r, e) -> {
                    if (e != null || r.outcome() != JobResult.Outcome.SUCCEEDED) {
                        failed.incrementAndGet();
                    }
                    slots.release();
                });
                if ((i + 1) % every == 0) {
                    slots.acquire(inFlight); // let this tenth end before measuring
                    slots.release(inFlight);
                    long now = System.nanoTime();
                    double s = (now - tenthStarted) / 1e9;
                    tenthStarted = now;
                    Map<String, Long> h2 = h2(settings);
                    long written = h2.getOrDefault("FILE_WRITE_BYTES", 0L);
                    String use = h2.isEmpty() ? "?"
                            : h2.get("FILL_RATE") + "%/" + h2.get("CHUNKS_FILL_RATE") + "%/" + h2.get("CHUNK_COUNT");
                    String perJob = Bytes.format((written - lastWritten) / every);
                    out.printf("%10d %10.0f %12s %12s %16s %12d %12s %12s%n", i + 1, every / s,
                            Bytes.format(size(settings.persistence().journal().h2File())), perJob, use, rows(settings),
                            Bytes.format(size(dir.resolve("outputs"))), Bytes.format(size(dir)));
                    lastWritten = written;
                }
            }
            slots.acquire(inFlight);
            out.printf("soak: pages H2 had forgotten were replaced, freed: %d%n",
                    H2GroupCommit.forgottenPagesFreed(settings.persistence().journal()));
        }
        out.printf("soak: %d jobs in %.0f s, %d failed%n", jobs, (System.nanoTime() - started) / 1e9, failed.get());
        return failed.get() == 0;
    }

    /** Rows in the journal's event table (the same embedded H2 database, from this process). */
    private static long rows(ColonySettings settings) {
        var journal = settings.persistence().journal();
        try (var c = journal.connect();
             var r = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
            return r.next() ? r.getLong(1) : -1;
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /**
     * What H2 reports of its file (INFORMATION_SCHEMA.SETTINGS, {@code info.*}): bytes written
     * since it opened, how much of the file chunks hold, how much of what they hold is live, and
     * how many chunks there are; empty when it cannot be read.
     */
    private static Map<String, Long> h2(ColonySettings settings) {
        var journal = settings.persistence().journal();
        var info = new HashMap<String, Long>();
        try (var c = journal.connect();
             var r = c.createStatement().executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM "
                     + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_WRITE_BYTES', 'info.FILL_RATE', "
                     + "'info.CHUNKS_FILL_RATE', 'info.CHUNK_COUNT')")) {
            while (r.next()) {
                info.put(r.getString(1).substring("info.".length()), Long.parseLong(r.getString(2)));
            }
        } catch (java.sql.SQLException | NumberFormatException e) {
            info.clear();
        }
        return info;
    }

    /** Bytes in the files under {@code p}; files and folders retention deletes during the walk count as gone. */
    static long size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.isRegularFile() ? attrs.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                return goneOrThrow(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                return e == null ? FileVisitResult.CONTINUE : goneOrThrow(e);
            }
        });
        return total[0];
    }

    /** Walks on past a file or folder deleted meanwhile; any other failure is thrown. */
    private static FileVisitResult goneOrThrow(IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw e;
    }
}
