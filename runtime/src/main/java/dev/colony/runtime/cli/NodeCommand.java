package dev.colony.runtime.cli;

import akka.cluster.typed.Cluster;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code colony node}: runs a node process that forms a cluster ({@code --port} alone) or joins
 * one ({@code --seed}), until it is stopped: SIGTERM or Ctrl-C leave the cluster gracefully
 * (Akka's coordinated shutdown).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a node process: the first of a cluster (--port alone) or one joining it (--seed). "
                + "Runs until SIGTERM or Ctrl-C, which leave the cluster gracefully. Every node of a cluster "
                + "shares one journal: PostgreSQL (--journal postgres), or on one machine the H2 journal one of "
                + "them serves (--set colony.persistence.h2.serve-port=0 there, "
                + "--set colony.persistence.h2.served-by=ITS_DATA_DIR in the others).")
final class NodeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "Node name, unique in the cluster (default node-1).")
    String name;

    @Option(names = "--seed", paramLabel = "HOST:PORT", split = ",",
            description = "A member to join (repeatable); none: start a cluster of its own.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Cluster port (default: any free port).")
    Integer port;

    @Option(names = "--cpus", paramLabel = "N", description = "Cores offered to tasks (default: all).")
    String cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory offered to tasks, e.g. 4g (default: all).")
    String memory;

    @Option(names = "--speed", paramLabel = "FACTOR", description = "Declared speed factor (default 1.0).")
    Double speed;

    @Option(names = "--gpus", paramLabel = "auto|none|N", description = "GPUs offered (default auto).")
    String gpus;

    @Option(names = "--roles", paramLabel = "ROLE", split = ",", description = "Akka Cluster roles of this node.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--tls", paramLabel = "DIR",
            description = "Cluster traffic over mutual TLS with DIR/NAME.p12, DIR/trust.p12 and DIR/password, as "
                    + "`colony certs init DIR --nodes NAME` makes them; needed when --host is not a loopback address.")
    Path tls;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the HTTP API on this port (0: any free port); on 127.0.0.1 unless colony.http.host "
                    + "says otherwise, which then needs colony.http.token or COLONY_HTTP_TOKEN.")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        config.set("colony.node.name", name);
        config.set("colony.hostname", host);
        config.set("colony.port", port);
        config.set("colony.node.cpus", cpus);
        config.set("colony.node.memory", memory);
        config.set("colony.node.speed-factor", speed);
        config.set("colony.node.gpus", "none".equals(gpus) ? "0" : gpus);
        config.setList("colony.seed-nodes", seeds);
        config.setList("colony.roles", roles);
        if (tls != null) {
            String member = name == null ? "node-1" : name;
            config.set("colony.tls.keystore", tls.resolve(member + ".p12").toString());
            config.set("colony.tls.truststore", tls.resolve("trust.p12").toString());
            config.set("colony.tls.password-file", tls.resolve("password").toString());
        }
        if (httpPort != null) {
            config.set("colony.http.enabled", "on");
            config.set("colony.http.port", httpPort);
        }
        ColonySettings settings = config.settings();
        try (Colony colony = Colony.start(settings)) {
            Cluster cluster = Cluster.get(colony.system());
            System.out.println("node " + settings.nodes().getFirst().name() + " up at "
                    + cluster.selfMember().address() + "; " + cluster.state().members().size()
                    + " member(s); nodes " + ResultPrinter.nodes(colony.nodes()) + "; "
                    + settings.persistence().journal().describe());
            colony.httpAddress().ifPresent(a -> {
                boolean https = !settings.config().getString("colony.http.tls.keystore").isEmpty();
                String base = (https ? "https://" : "http://") + a.getHostString() + ":" + a.getPort();
                System.out.println("dashboard at " + base + "/ui/; HTTP API at " + base + "/ (GET /nodes, /jobs, "
                        + "/learner, /metrics; POST /jobs; GET and DELETE /jobs/ID)");
            });
            System.out.println("SIGTERM or Ctrl-C leaves the cluster");
            colony.system().getWhenTerminated().toCompletableFuture().join();
        }
        return ColonyCli.OK;
    }
}
