package dev.colony.persistence;

import akka.persistence.AtomicWrite;
import akka.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.sql.SQLException;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * akka-persistence-jdbc's journal on an embedded H2 database, answering a write only once it is in
 * the file ({@link H2GroupCommit}): what an entity is told was persisted survives a {@code kill -9}.
 * Its configuration names the data directory ({@code colony-h2-data-dir}) and the group commit's
 * linger ({@code colony-h2-linger}).
 */
public final class H2DurableJournal extends JdbcAsyncWriteJournal {

    private final H2GroupCommit commits;

    /** The journal of plugin configuration {@code config}. */
    public H2DurableJournal(Config config) throws SQLException {
        super(config);
        this.commits = H2GroupCommit.acquire(JournalSettings.h2(Path.of(config.getString("colony-h2-data-dir"))),
                config.hasPath("colony-h2-linger") ? config.getDuration("colony-h2-linger").toNanos() : 0);
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
