package dev.colony.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under group commit, with H2 reusing a chunk's space 5 s after writing it, a {@code kill -9} at any
 * moment loses no transaction that was acknowledged and leaves a file that opens: {@link H2CrashWriter}
 * writes for 6–11 s at a time (long enough for space to be reused) and is killed, {@value #ROUNDS}
 * times on one database. Without {@link H2StoreHeader} it lost the last 3–28 acknowledged commits in
 * every run, within its first three rounds (with H2's 45 s retention, after 48 s of writing). The
 * writer also sweeps for forgotten pages every second ({@link H2Leaks}), with H2's assertions on.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class H2CrashTest {

    private static final int ROUNDS = 5;
    /** A writer prints READY within this many seconds of starting, or the round fails. */
    private static final int READY_WITHIN_S = 60;

    @TempDir
    Path dir;

    private long freedInAllRounds;

    @Test
    void shouldKeepEveryAcknowledgedCommitThroughKills() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        Set<Long> acked = new HashSet<>();
        long first = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long runMs = 6_000 + random.nextLong(5_000); // past H2's 5 s retention: space is reused
            List<Long> ids = runAndKill(first, runMs);
            assertTrue(ids.size() > 100, "round " + round + ": only " + ids.size() + " commits acknowledged");
            acked.addAll(ids);
            Set<Long> stored = stored();
            List<Long> lost = new ArrayList<>();
            for (long id : acked) {
                if (!stored.contains(id)) {
                    lost.add(id);
                }
            }
            assertEquals(List.of(), lost.subList(0, Math.min(20, lost.size())),
                    "round " + round + " (killed after " + runMs + " ms): " + lost.size() + " of " + acked.size()
                            + " acknowledged commits lost");
            first = stored.stream().mapToLong(Long::longValue).max().orElse(0) + 1_000_000;
        }
        assertTrue(freedInAllRounds > 0, "no sweep counted a forgotten page removed: the kills did not test that "
                + "(has H2 stopped forgetting pages? then H2Leaks may go)");
    }

    /** Starts a writer at id {@code first}, kills it {@code runMs} after it is ready, and returns the ids it acknowledged. */
    private List<Long> runAndKill(long first, long runMs) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Xmx256m", "-ea", H2CrashWriter.class.getName(),
                dir.resolve("data").toString(), Long.toString(first), "4");
        Process writer = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Long> ids = new ArrayList<>();
        long freed = 0;
        StringBuilder log = new StringBuilder();
        Thread killer = null;
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<String> stuck = new AtomicReference<>();
        // Reading the writer's output cannot be interrupted (by @Timeout either): a writer that never
        // gets ready is stopped here, with its stack, so the test fails instead of hanging.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!ready.await(READY_WITHIN_S, TimeUnit.SECONDS)) {
                    stuck.set(threadDump(writer.pid()));
                    writer.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the round ended
            }
        });
        try (var out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ACK ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                } else if (line.startsWith("FREED ")) {
                    freed = Math.max(freed, Long.parseLong(line.substring(6)));
                } else if (line.equals("READY")) {
                    ready.countDown();
                    killer = Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(runMs); // a kill at a time the test chooses, not a wait for the writer
                        } catch (InterruptedException e) {
                            return;
                        }
                        killed.set(true);
                        writer.destroyForcibly();
                    });
                } else if (log.length() < 20_000) {
                    log.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the kill closed the stream: what was read is what the writer acknowledged before it
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
            if (killer != null) {
                killer.interrupt();
            }
            watchdog.interrupt();
        }
        assertTrue(stuck.get() == null, "the writer was not ready within " + READY_WITHIN_S + " s of opening the "
                + "database a kill left (its main thread below):\n" + stuck.get() + "\n" + log);
        assertTrue(killer != null, "the writer did not start:\n" + log);
        assertTrue(killed.get(), "the writer ended by itself (exit " + writer.exitValue() + "):\n" + log);
        freedInAllRounds += freed;
        return ids;
    }

    /** The main thread's stack of process {@code pid} (jcmd Thread.print), or why it could not be had. */
    private static String threadDump(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            int main = dump.indexOf("\"main\"");
            return main < 0 ? dump.substring(0, Math.min(4_000, dump.length()))
                    : dump.substring(main, Math.min(dump.length(), main + 4_000));
        } catch (IOException | InterruptedException e) {
            return "no thread dump: " + e;
        }
    }

    /** The ids in the database after the kill (opening it recovers what reached the file). */
    private Set<Long> stored() throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = JournalSettings.h2(dir.resolve("data")).connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM acked")) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }
}
