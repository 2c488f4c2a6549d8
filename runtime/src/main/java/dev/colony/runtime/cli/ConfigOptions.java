package dev.colony.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.ColonySettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command that starts a runtime or opens its journal shares: {@code --set key=value}, ... */
final class ConfigOptions {

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a setting, e.g. --set colony.node.cpus=4 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "NAME",
            description = "Placement policy: least-loaded, power-of-two, random, round-robin.")
    String policy;

    @Option(names = "--journal", paramLabel = "KIND",
            description = "Journal: h2 (default, a file under the data directory), postgres or memory.")
    String journal;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory: the H2 journal and the output store (default ./colony-data).")
    String dataDir;

    private final StringBuilder extra = new StringBuilder();

    /** Sets {@code key} to {@code value} (a command's own option), before --set; nothing when the value is null. */
    void set(String key, Object value) {
        if (value != null) {
            extra.append(key).append(" = ").append(quote(value.toString())).append('\n');
        }
    }

    /** Sets {@code key} to a list of strings. */
    void setList(String key, List<String> values) {
        extra.append(key).append(" = [").append(String.join(", ", values.stream().map(v -> "\"" + v.replace("\"",
                "\\\"") + "\"").toList())).append("]\n");
    }

    /** Settings with the overrides applied. */
    ColonySettings settings() {
        StringBuilder hocon = new StringBuilder(extra);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set '" + o + "' must look like key=value");
            }
            hocon.append(o, 0, eq).append(" = ").append(quote(o.substring(eq + 1))).append('\n');
        }
        if (policy != null) {
            hocon.append("colony.placement.policy = ").append(quote(policy)).append('\n');
        }
        if (journal != null) {
            hocon.append("colony.persistence.journal = ").append(quote(journal)).append('\n');
        }
        if (dataDir != null) {
            hocon.append("colony.persistence.data-dir = ").append(quote(dataDir)).append('\n');
        }
        Config c = ConfigFactory.parseString(hocon.toString());
        return ColonySettings.fromConfig(c);
    }

    private static String quote(String v) {
        return v.matches("-?[0-9.]+|true|false|[A-Za-z0-9.]+") ? v : "\"" + v.replace("\"", "\\\"") + "\"";
    }
}
