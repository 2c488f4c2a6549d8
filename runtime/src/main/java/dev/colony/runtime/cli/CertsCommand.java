package dev.colony.runtime.cli;

import dev.colony.runtime.internal.ClusterCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code colony certs init|add DIR --nodes a,b}: the certificates of a cluster's mutual TLS. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Make the certificates that let members into a cluster (colony.tls, SECURITY.md).",
        subcommands = {CertsCommand.Init.class, CertsCommand.Add.class})
final class CertsCommand {

    /** What both subcommands take: the directory, the members and how long their certificates last. */
    static final class Members {
        @Parameters(index = "0", paramLabel = "DIR", description = "For init a new or empty directory; for add the "
                + "one `certs init` made.")
        Path dir;

        @Option(names = "--nodes", required = true, split = ",", paramLabel = "NAME",
                description = "Members to make keystores for (their --name).")
        List<String> nodes;

        @Option(names = "--days", paramLabel = "N", description = "Validity in days (default 825).")
        int days = 825;
    }

    /** {@code colony certs init DIR --nodes a,b}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Make a cluster CA in DIR (ca.p12: keep it off the nodes), its truststore (trust.p12), a "
                    + "keystore per member (NAME.p12) and their password (password). Start each member with "
                    + "`colony node --name NAME --tls DIR` (it needs DIR/NAME.p12, trust.p12 and password).")
    static final class Init implements Callable<Integer> {
        @Mixin
        Members m = new Members();

        @Override
        public Integer call() throws Exception {
            ClusterCertificates.init(m.dir, m.nodes, m.days);
            System.out.println("cluster CA and keystores for " + String.join(", ", m.nodes) + " in " + m.dir
                    + "; start a member with: colony node --name NAME --tls " + m.dir);
            return ColonyCli.OK;
        }
    }

    /** {@code colony certs add DIR --nodes c}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make keystores for more members with the CA in DIR.")
    static final class Add implements Callable<Integer> {
        @Mixin
        Members m = new Members();

        @Override
        public Integer call() throws Exception {
            ClusterCertificates.add(m.dir, m.nodes, m.days);
            System.out.println("keystores for " + String.join(", ", m.nodes) + " in " + m.dir);
            return ColonyCli.OK;
        }
    }
}
