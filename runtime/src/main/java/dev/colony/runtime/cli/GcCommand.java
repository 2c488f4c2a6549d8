package dev.colony.runtime.cli;

import dev.colony.actors.job.Bytes;
import dev.colony.actors.output.OutputStore;
import dev.colony.persistence.H2Compaction;
import dev.colony.persistence.H2GroupCommit;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.internal.Retention;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code colony gc}: what retention ({@code colony.retention}) would delete now, and with
 * {@code --run} deletes it: the events and snapshots of ended jobs past their age or count, and
 * (for this data directory) the outputs of jobs whose events are gone. Running nodes do the same
 * every {@code colony.retention.every}; an H2 journal can only be collected while its node is stopped,
 * and {@code --run} then also rewrites its file to what is live.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Show the ended jobs retention would delete now (colony.retention: max-age, keep, pin-label); "
                + "with --run, delete their events, snapshots and this data directory's outputs of them, and "
                + "rewrite an H2 journal's file to what is live.")
final class GcCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--run", description = "Delete what is due (default: only show it).")
    boolean run;

    @Override
    public Integer call() throws Exception {
        ColonySettings settings = config.settings();
        JournalSettings journal = settings.persistence().journal();
        if (journal.kind() == JournalSettings.Kind.MEMORY) {
            throw new IllegalArgumentException("the memory journal keeps nothing; use --journal h2 or postgres");
        }
        if (journal.kind() == JournalSettings.Kind.H2) {
            JournalAccess.refuseIfHeld(journal);
        }
        Retention.Settings retention = Retention.Settings.of(settings.config().getConfig("colony"));
        System.out.println(journal.describe() + "; retention keeps ended jobs for " + retention.maxAge().toDays()
                + " d and the newest " + retention.keep() + " (colony.retention), and any labelled "
                + retention.pinLabel() + " = true");
        try (Connection c = journal.connect()) {
            c.setAutoCommit(false);
            Retention.Report r = Retention.collect(c, retention, System.currentTimeMillis(), run);
            System.out.println(r.ended() + " ended job(s) recorded; " + r.due().size() + " due" + (r.due().isEmpty()
                    ? "" : ": " + String.join(", ", r.due().subList(0, Math.min(10, r.due().size())))
                    + (r.due().size() > 10 ? ", ..." : "")));
            if (run) {
                H2GroupCommit.awaitDurable(journal); // the deletes stay deleted before the outputs go
                System.out.println("deleted " + r.eventRows() + " event row(s) and " + r.snapshotRows()
                        + " snapshot row(s)");
                if (settings.persistence().durable() && Files.isDirectory(
                        settings.persistence().dataDir().resolve("outputs"))) {
                    OutputStore outputs = settings.persistence().openOutputs();
                    long freed = Retention.sweep(c, outputs, 0);
                    System.out.println("freed " + Bytes.format(freed) + " of outputs in "
                            + settings.persistence().dataDir().resolve("outputs"));
                }
                if (journal.kind() == JournalSettings.Kind.H2) {
                    compactH2(c, journal);
                }
            } else if (!r.due().isEmpty()) {
                System.out.println("colony gc --run deletes them");
            }
        }
        return ColonyCli.OK;
    }

    /** Rewrites the H2 file to what is live ({@link H2Compaction}), which closes the database. */
    private static void compactH2(Connection c, JournalSettings journal) throws Exception {
        H2Compaction.Result r = H2Compaction.compact(c, journal);
        System.out.println("compacted " + journal.h2File() + ": " + Bytes.format(r.beforeBytes()) + " -> "
                + Bytes.format(r.afterBytes()));
    }
}
