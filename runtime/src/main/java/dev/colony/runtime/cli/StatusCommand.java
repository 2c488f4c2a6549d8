package dev.colony.runtime.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.colony.actors.job.Bytes;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeLoad;
import dev.colony.runtime.ClusterTls;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colony status --url URL}: every node's capacity and load and the running jobs, through a
 * node's HTTP API. {@code colony status --seed HOST:PORT} instead joins the cluster for a moment as
 * a client member (role {@code colony-client}: it hosts no node, job, task or learner), prints its
 * members and every node's capacity and load, and leaves.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print every node's capacity and load and the running jobs, through a node's HTTP API (--url); "
                + "or join the cluster for a moment as a client member through --seed (it hosts nothing) and print "
                + "its members and nodes.")
final class StatusCommand implements Callable<Integer> {

    private static final Duration ASK = Duration.ofSeconds(5);

    @Option(names = "--url", paramLabel = "URL",
            description = "A node's HTTP API, e.g. http://127.0.0.1:8080 (token: COLONY_HTTP_TOKEN).")
    String url;

    @Option(names = "--seed", paramLabel = "HOST:PORT", description = "A member of the cluster (instead of --url).")
    String seed;

    @Option(names = "--system-name", paramLabel = "NAME", defaultValue = "colony",
            description = "The cluster's actor system name (colony.system-name; default ${DEFAULT-VALUE}).")
    String systemName;

    @Option(names = "--tls", paramLabel = "DIR",
            description = "Join over mutual TLS with DIR/NAME.p12 (--tls-name), as `colony certs add DIR --nodes NAME` "
                    + "makes it, when the cluster uses colony.tls.")
    Path tls;

    @Option(names = "--tls-name", paramLabel = "NAME", defaultValue = "client",
            description = "Whose keystore in --tls to use (default ${DEFAULT-VALUE}).")
    String tlsName;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "How long to wait to join (default ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        if ((url == null) == (seed == null)) {
            throw new IllegalArgumentException("give either --url (a node's HTTP API) or --seed (a cluster member)");
        }
        if (url != null) {
            return overHttp(ApiClient.of(url), System.out);
        }
        if (!seed.matches("[^:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--seed '" + seed + "' must be HOST:PORT");
        }
        Duration wait = ConfigFactory.parseString("t = " + timeout).getDuration("t");
        Config config = ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.loglevel = WARNING
                akka.remote.artery.canonical.hostname = "127.0.0.1"
                akka.remote.artery.canonical.port = 0
                akka.cluster.roles = ["colony-client"]
                akka.coordinated-shutdown.exit-jvm = off
                """).withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                        List.of("akka://" + systemName + "@" + seed))).withFallback(ConfigFactory.load());
        if (tls != null) {
            config = ClusterTls.inDirectory(tls, tlsName).artery().withFallback(config);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
        try {
            CompletableFuture<Void> up = new CompletableFuture<>();
            akka.cluster.Cluster.get(akka.actor.typed.javadsl.Adapter.toClassic(system)).registerOnMemberUp(
                    () -> up.complete(null));
            try {
                up.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("no cluster member at " + seed + " let this client join within "
                        + timeout + " (is a node running there, with system name '" + systemName + "'? a cluster with "
                        + "colony.tls needs --tls)");
            }
            print(system, System.out);
            return ColonyCli.OK;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Nodes and running jobs as the HTTP API at {@code api} shows them. */
    static int overHttp(ApiClient api, PrintStream out) {
        var nodes = api.send("GET", "/nodes", null).body();
        out.println(nodes.size() + " node(s):");
        for (JsonNode n : nodes) {
            ResourceRequest c = ApiClient.as(n.path("capacity"), ResourceRequest.class);
            out.printf(Locale.ROOT, "  %-16s %s cpus, %s memory, %d gpus, speed %s; %s%n", n.path("name").asText(),
                    c.cpus(), Bytes.format(c.memoryBytes()), c.gpus(), n.path("speedFactor").asText(),
                    n.path("load").isObject() ? load(ApiClient.as(n.path("load"), NodeLoad.class)) : "did not answer");
        }
        var running = api.send("GET", "/jobs?phase=running&limit=20", null).body();
        JobsCommand.print(running, out);
        return ColonyCli.OK;
    }

    /**
     * The nodes registered with the receptionist, once its registry has reached this new member:
     * asked until two answers half a second apart agree and name at least one node (10 s at most).
     */
    private static List<ActorRef<Node.Command>> nodes(ActorSystem<Void> system) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ActorRef<Node.Command>> last = List.of();
        while (true) {
            Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                    system.receptionist(), r -> Receptionist.find(Node.SERVICE_KEY, r), ASK, system.scheduler())
                    .toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
            List<ActorRef<Node.Command>> now = listing.getServiceInstances(Node.SERVICE_KEY).stream().toList();
            if (!now.isEmpty() && now.size() == last.size() || System.nanoTime() > deadline) {
                return now;
            }
            last = now;
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** {@code load 50% of cpus, 1 running, 0 leased, 0 queued}. */
    private static String load(NodeLoad l) {
        return String.format(Locale.ROOT, "load %.0f%% of cpus, %d running, %d leased, %d queued",
                100 * l.reserved().cpus() / l.capacity().cpus(), l.running(), l.granted(), l.queued());
    }

    private static void print(ActorSystem<Void> system, PrintStream out) throws Exception {
        Cluster cluster = Cluster.get(system);
        List<Member> members = new ArrayList<>();
        cluster.state().getMembers().forEach(members::add);
        out.println(members.size() + " member(s), this client included:");
        for (Member m : members) {
            List<String> roles = m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList();
            out.printf("  %-36s %-8s %s%n", m.address(), m.status(), roles);
        }
        var nodes = nodes(system);
        out.println(nodes.size() + " node(s):");
        for (ActorRef<Node.Command> ref : nodes) {
            try {
                NodeDescriptor d = AskPattern.<Node.Command, NodeDescriptor>ask(ref, Node.Describe::new, ASK,
                        system.scheduler()).toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
                NodeLoad l = AskPattern.<Node.Command, NodeLoad>ask(ref, Node.GetLoad::new, ASK, system.scheduler())
                        .toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
                out.printf("  %-16s on %-32s %s, speed %s; %s%n", d.name(), ref.path().address(), d.capacity(),
                        d.speedFactor(), load(l));
            } catch (Exception e) {
                out.printf("  %-16s did not answer: %s%n", ref.path().address(), e);
            }
        }
    }
}
