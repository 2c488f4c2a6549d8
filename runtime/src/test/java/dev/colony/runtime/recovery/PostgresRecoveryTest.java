package dev.colony.runtime.recovery;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery tests of the H2 journal, against a real PostgreSQL server ({@link PostgresServer}). */
@Tag("postgres")
class PostgresRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeAfterKillMinus9OnPostgres() throws Exception {
        PostgresServer.url();
        new CrashRecoveryTest.Scenario(dir, "postgres").run();
    }

    @Test
    void shouldFailOnlyTheJobWhoseJournalIsUnreadableOnPostgres() throws Exception {
        String url = PostgresServer.url();
        new JournalFailureTest.Unreadable(dir, PostgresServer.journalConfig(), () -> PostgresServer.connect(url)).run();
    }
}
