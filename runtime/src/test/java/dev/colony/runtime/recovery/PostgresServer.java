package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests tagged {@code postgres} run against: named by
 * COLONY_TEST_POSTGRES_URL / _USER / _PASSWORD, which {@code .ci/postgres.sh start} prints. Without
 * one such a test is skipped with the reason printed, except under CI=true, where it fails.
 */
public final class PostgresServer {

    private PostgresServer() {
    }

    public static String url() {
        String url = System.getenv("COLONY_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            unavailable("COLONY_TEST_POSTGRES_URL is not set (start one with: eval \"$(.ci/postgres.sh start)\")");
        }
        try (Connection c = connect(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            unavailable("PostgreSQL at " + url + " is not reachable: " + e.getMessage());
        }
        return url;
    }

    public static String user() {
        String u = System.getenv("COLONY_TEST_POSTGRES_USER");
        return u == null ? "colony" : u;
    }

    public static String password() {
        String p = System.getenv("COLONY_TEST_POSTGRES_PASSWORD");
        return p == null ? "" : p;
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user(), password());
    }

    /** HOCON selecting this server as the journal. */
    public static String journalConfig() {
        return "colony.persistence { journal = postgres, postgres { url = \"" + url() + "\", user = \"" + user()
                + "\", password = \"" + password() + "\" } }";
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but no PostgreSQL for the tests tagged postgres: " + why);
        }
        System.out.println("SKIPPED (no PostgreSQL): " + why);
        Assumptions.abort(why);
    }
}
