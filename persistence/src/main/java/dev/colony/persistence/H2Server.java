package dev.colony.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;

/**
 * Serves an H2 journal to the other Colony processes of its host, so that a cluster on one machine
 * can share it (PostgreSQL is the journal of clusters that span hosts). H2's TCP server takes
 * connections from this host only, and opens nothing but this database, and that only for a
 * client that names it by a random key (H2's {@code -key}; any other name is refused as a wrong
 * user or password): the key, with the port, is in {@value #KEY_FILE} of the data directory,
 * readable by its owner only, and a member that uses the journal reads it from there
 * ({@code colony.persistence.h2.served-by}). The server shares the database this process has
 * open, so its writes join this process's group commit: a client's write is acknowledged once
 * {@code CALL COLONY_STORED()} returns, which waits for a store of H2's pages that began after the
 * call ({@link #stored}, {@link H2RemoteCommit}), so a {@code kill -9} of any member loses nothing
 * acknowledged. The serving process is the journal: while it is down, the others cannot write.
 */
public final class H2Server implements AutoCloseable {

    /** The file in the served journal's data directory that names its port and key. */
    public static final String KEY_FILE = "h2-server";

    /** The SQL function a client calls after its commits, to wait until they are in the file. */
    static final String STORED = "COLONY_STORED";

    private final H2GroupCommit commits;
    private final Server server;
    private final Path keyFile;

    private H2Server(H2GroupCommit commits, Server server, Path keyFile) {
        this.commits = commits;
        this.server = server;
        this.keyFile = keyFile;
    }

    /**
     * Serves {@code journal} (an embedded H2 journal with group commit, whose linger is
     * {@code lingerNanos} if this starts it) on {@code port} (0: any free one), and writes the key
     * file. Keeps the database open until {@link #close}.
     */
    public static H2Server start(JournalSettings journal, int port, long lingerNanos) throws SQLException, IOException {
        if (!journal.groupCommit()) {
            throw new IllegalArgumentException("colony.persistence.h2.serve-port: only an H2 journal of this process "
                    + "with colony.persistence.h2.write-delay = 0 can be served (" + journal.describe() + ")");
        }
        H2GroupCommit commits = H2GroupCommit.acquire(journal, lingerNanos);
        try {
            try (Connection c = journal.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE ALIAS IF NOT EXISTS " + STORED + " FOR '" + H2Server.class.getName() + ".stored'");
            }
            String key = HexFormat.of().formatHex(randomBytes());
            String dir = journal.dataDir().toAbsolutePath().normalize().toString();
            Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifExists", "-baseDir", dir,
                    "-key", key, "journal").start();
            Path keyFile = journal.dataDir().resolve(KEY_FILE);
            writeOwnerOnly(keyFile, server.getPort() + " " + key + "\n");
            return new H2Server(commits, server, keyFile);
        } catch (SQLException | IOException | RuntimeException e) {
            commits.release();
            throw e;
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /**
     * The journal served from data directory {@code servedBy} (by a process of this host), as its
     * key file names it.
     *
     * @throws IllegalStateException naming the file when it is missing or unreadable
     */
    public static JournalSettings client(Path servedBy) {
        Path file = servedBy.resolve(KEY_FILE);
        String[] parts;
        try {
            parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
        } catch (IOException e) {
            throw new IllegalStateException("colony.persistence.h2.served-by = " + servedBy + ": cannot read " + file
                    + " (" + e.getClass().getSimpleName() + "); start the member whose data directory that is, with "
                    + "colony.persistence.h2.serve-port >= 0, first", e);
        }
        if (parts.length != 2 || !parts[0].matches("[0-9]{1,5}") || !parts[1].matches("[0-9a-f]{64}")) {
            throw new IllegalStateException(file + " does not hold a port and a key; restart the member that serves "
                    + "the journal");
        }
        return JournalSettings.h2Served(servedBy, "jdbc:h2:tcp://127.0.0.1:" + parts[0] + "/" + parts[1]);
    }

    /**
     * {@code CALL COLONY_STORED()}, run by H2 in the serving process: returns once what was
     * committed before the call is in the file (at once when the database has no group commit).
     */
    public static int stored(Connection session) throws SQLException {
        H2GroupCommit g = H2GroupCommit.of(H2GroupCommit.mvStore(session));
        if (g == null) {
            return 0;
        }
        try {
            g.durable().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the H2 journal to reach its file", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SQLException("the H2 journal did not reach its file: " + e, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Stops serving (clients' connections break), removes the key file and lets the database close. */
    @Override
    public void close() {
        try {
            server.stop();
            Files.deleteIfExists(keyFile);
        } catch (IOException e) {
            // a stale key file names a port nobody serves: clients fail to connect, as they should
        } finally {
            commits.release();
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) { // the data directory is owner-only anyway
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
