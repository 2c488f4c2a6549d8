package dev.colony.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 journal one process serves to the others of its host ({@link H2Server}): only a client that
 * names it by the key in the owner-only key file gets in, and a client's commit that
 * {@link H2RemoteCommit} acknowledged survives a {@code kill -9} of the serving process.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class H2ServedTest {

    @TempDir
    Path dir;

    @Test
    void shouldServeOnlyToAClientThatNamesTheKey() throws Exception {
        JournalSettings own = JournalSettings.h2(dir);
        try (H2Server server = H2Server.start(own, 0, 0)) {
            Path keyFile = dir.resolve(H2Server.KEY_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            JournalSettings client = H2Server.client(dir);
            assertTrue(client.served() && !client.groupCommit(), client.describe());
            String key = Files.readString(keyFile).trim().split(" ")[1];
            assertTrue(!client.toString().contains(key), "the key is never printed");
            try (Connection c = client.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INT)");
                s.execute("INSERT INTO t VALUES (7)");
                try (ResultSet r = s.executeQuery("CALL " + H2Server.STORED + "()")) {
                    assertTrue(r.next());
                    assertEquals(1, r.getInt(1), "the call waited for the serving process's group commit");
                }
            }
            H2GroupCommit.awaitDurable(client);
            try (Connection c = own.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT x FROM t")) {
                assertTrue(r.next(), "the serving process sees the client's row: one database");
                assertEquals(7, r.getInt(1));
            }
            for (String name : List.of("journal", dir.resolve("journal").toString(), "other")) {
                SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                        "jdbc:h2:tcp://127.0.0.1:" + server.port() + "/" + name, "sa", "").close(), name);
                assertTrue(e.getMessage().contains("Wrong user name or password"), e.getMessage());
            }
        }
        assertTrue(!Files.exists(dir.resolve(H2Server.KEY_FILE)), "the key file goes with the server");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> H2Server.client(dir));
        assertTrue(e.getMessage().contains("colony.persistence.h2.served-by"), e.getMessage());
    }

    @Test
    void shouldKeepEveryAcknowledgedCommitOfAClientThroughAKillOfTheServer() throws Exception {
        Path data = dir.resolve("data");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Xmx256m", H2ServeMain.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        try {
            var out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("READY"), "the server did not start: " + line);
            JournalSettings client = H2Server.client(data);
            H2RemoteCommit commits = H2RemoteCommit.acquire(client);
            AtomicLong next = new AtomicLong();
            for (int t = 0; t < 4; t++) {
                writers.add(Thread.ofPlatform().start(() -> write(client, commits, next, acked)));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until || acked.size() < 100) {
                Thread.sleep(50); // writing for a while: a period, not a wait for the writers
            }
        } finally {
            server.destroyForcibly(); // kill -9
            server.waitFor(30, TimeUnit.SECONDS);
        }
        for (Thread w : writers) {
            w.join(30_000);
        }
        Set<Long> stored = new HashSet<>();
        try (Connection c = JournalSettings.h2(data).connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM acked")) {
            while (r.next()) {
                stored.add(r.getLong(1));
            }
        }
        List<Long> lost = acked.stream().filter(id -> !stored.contains(id)).limit(20).toList();
        assertEquals(List.of(), lost, acked.size() + " commits acknowledged before the kill");
        assertTrue(acked.size() >= 100, "only " + acked.size() + " commits acknowledged");
    }

    /** Commits ids one by one and adds each to {@code acked} once the serving process says it is in the file. */
    private static void write(JournalSettings client, H2RemoteCommit commits, AtomicLong next,
                              ConcurrentLinkedQueue<Long> acked) {
        try (Connection c = client.connect();
             PreparedStatement add = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
            c.setAutoCommit(false);
            while (true) {
                long id = next.getAndIncrement();
                add.setLong(1, id);
                add.executeUpdate();
                c.commit();
                commits.durable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                acked.add(id);
            }
        } catch (Exception e) {
            // the server was killed: what was acknowledged before is what counts
        }
    }
}
