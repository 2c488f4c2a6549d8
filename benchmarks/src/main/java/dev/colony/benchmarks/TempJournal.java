package dev.colony.benchmarks;

import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.ColonySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's journal: settings naming it, in a data directory of its own that is deleted afterwards. */
final class TempJournal {

    private final Path dataDir;

    TempJournal() throws IOException {
        dataDir = Files.createTempDirectory("colony-bench-");
    }

    /** Colony settings on {@code journal} (memory, h2 or postgres), with {@code extra} HOCON on top. */
    ColonySettings settings(String journal, String extra) {
        return ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = %s, data-dir = "%s" }
                akka.loglevel = WARNING
                %s
                """.formatted(journal, dataDir.toString().replace('\\', '/'), extra)));
    }

    /** Deletes the data directory and everything in it. */
    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
