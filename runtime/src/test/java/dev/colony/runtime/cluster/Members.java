package dev.colony.runtime.cluster;

import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Cluster members in this JVM for tests: one runtime each, with a data directory under a test's own. */
final class Members {

    private Members() {
    }

    /**
     * Starts member {@code name} (one node of {@code cpus}, 1 GiB) on {@code port}, joining
     * {@code seeds} ({@code "host:port"}; none: a cluster of its own), with {@code config} (the
     * journal and whatever else the test sets) and its data under {@code dir/name}.
     */
    static Colony start(Path dir, String name, int cpus, int port, List<String> seeds, String config) {
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(config + """

                colony.persistence.data-dir = "%s"
                colony.node { name = %s, cpus = %d, memory = 1GiB }
                colony.port = %d
                colony.seed-nodes = [%s]
                """.formatted(dir.resolve(name).toString().replace('\\', '/'), name, cpus, port,
                seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "))))));
    }
}
