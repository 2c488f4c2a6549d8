package dev.colony.persistence;

import akka.persistence.AtomicWrite;
import akka.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * akka-persistence-jdbc's journal on an H2 database, answering a write only once it is in the file:
 * what an entity is told was persisted survives a {@code kill -9}. Its configuration names the data
 * directory ({@code colony-h2-data-dir}) and either the group commit's linger
 * ({@code colony-h2-linger}; the database is this process's: {@link H2GroupCommit}) or the URL of
 * the process of this host that serves it ({@code colony-h2-served-url}: {@link H2RemoteCommit}).
 */
public final class H2DurableJournal extends JdbcAsyncWriteJournal {

    /** How a process learns that what it committed is in the file. */
    interface Commits {
        /** Completes once everything committed before this call is in the file. */
        CompletionStage<Void> durable();

        /** This user is done with it. */
        void release();
    }

    private final Commits commits;

    /** The journal of plugin configuration {@code config}. */
    public H2DurableJournal(Config config) throws SQLException {
        super(config);
        Path dataDir = Path.of(config.getString("colony-h2-data-dir"));
        this.commits = config.hasPath("colony-h2-served-url")
                ? H2RemoteCommit.acquire(JournalSettings.h2Served(dataDir, config.getString("colony-h2-served-url")))
                : H2GroupCommit.acquire(JournalSettings.h2(dataDir), config.hasPath("colony-h2-linger")
                        ? config.getDuration("colony-h2-linger").toNanos() : 0);
    }

    @Override
    public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
        return FutureConverters.asScala(FutureConverters.asJava(super.asyncWriteMessages(messages))
                .thenCompose(written -> commits.durable().thenApply(v -> written)));
    }

    @Override
    public void postStop() {
        try {
            super.postStop();
        } finally {
            commits.release();
        }
    }
}
