package dev.colony.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.colony.actors.data.DataSettings;
import dev.colony.actors.gpu.GpuSettings;
import dev.colony.actors.job.JobIndex;
import dev.colony.actors.job.JobLimits;
import dev.colony.actors.job.JobSettings;
import dev.colony.actors.job.JsonLimits;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.kernel.Brief;
import dev.colony.actors.learner.LearnerSettings;
import dev.colony.actors.learner.Objective;
import dev.colony.actors.monitor.Monitor;
import dev.colony.actors.node.NodeSettings;
import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.task.TaskSettings;
import dev.colony.gpu.BlasBackends;
import dev.colony.persistence.JournalConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link Colony#start} needs, read once from HOCON ({@code colony.*}; every key is
 * documented in the runtime's {@code reference.conf}). Immutable.
 *
 * <pre>{@code
 * ColonySettings s = ColonySettings.fromConfig(ConfigFactory.parseString("colony.node.cpus = 4"));
 * }</pre>
 *
 * @param config      the full configuration, Akka's included, as the actor system will see it
 *                    (seed nodes and roles, with the journal's role, included)
 * @param nodes       the nodes this process hosts (at least one)
 * @param policy      placement policy name
 * @param kernelClasses extra kernel classes to load
 * @param startTimeout how long {@link Colony#start} waits for the runtime to be ready
 * @param jobEntities  how job entities snapshot and leave memory
 * @param jobList      how the list of jobs keeps them
 * @param persistence  the journal and the output store
 * @param gpu          how nodes use their GPUs
 * @param monitor      how nodes' monitors batch feedback
 * @param learner      how the learner learns
 * @param drainTimeout how long a leaving process waits for its running kernels
 * @param data         the data plane; null when it is off
 */
public record ColonySettings(Config config, String systemName, List<NodeSettings> nodes, String policy,
                             TaskSettings task, JobLimits jobs, List<String> kernelClasses, Duration startTimeout,
                             JobSettings jobEntities, JobIndex.Settings jobList, PersistenceSettings persistence,
                             GpuSettings gpu, Monitor.Settings monitor, LearnerSettings learner,
                             Duration drainTimeout, DataSettings data) {

    /** Settings from {@code application.conf}, system properties and the defaults. */
    public static ColonySettings load() {
        return fromConfig(ConfigFactory.empty());
    }

    /**
     * Settings from {@code overrides} on top of {@code application.conf}, system properties and
     * the defaults.
     *
     * @throws IllegalArgumentException naming the key when a value is invalid
     */
    public static ColonySettings fromConfig(Config overrides) {
        Config raw = overrides.withFallback(ConfigFactory.load());
        try {
            Config c = raw.getConfig("colony");
            PersistenceSettings persistence = PersistenceSettings.fromConfig(c.getConfig("persistence"));
            List<String> seeds = c.getStringList("seed-nodes");
            ClusterMembership.checkJoinable(persistence, seeds);
            List<String> roles = new ArrayList<>(c.getStringList("roles"));
            roles.add(ClusterMembership.journalRole(persistence));
            String systemName = c.getString("system-name");
            Config full = ConfigFactory.empty()
                    .withValue("akka-persistence-jdbc.shared-databases.colony.db.connectionTimeout",
                            ConfigValueFactory.fromAnyRef(c.getDuration("persistence.connect-timeout").toMillis()))
                    .withValue("jdbc-journal.colony-h2-linger", ConfigValueFactory.fromAnyRef(
                            persistence.h2Linger().toNanos() + "ns"))
                    .withFallback(JournalConfig.of(persistence.journal()))
                    .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(c.getString("hostname")))
                    .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(c.getInt("port")))
                    .withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds.stream()
                            .map(seed -> seedAddress(systemName, seed)).toList()))
                    .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles))
                    .withValue("akka.coordinated-shutdown.phases.before-service-unbind.timeout",
                            ConfigValueFactory.fromAnyRef(c.getDuration("drain-timeout").plusSeconds(5).toMillis() + "ms"))
                    .withFallback(raw);
            ClusterTls tls = ClusterTls.of(c, full);
            if (tls.enabled()) {
                full = tls.artery().withFallback(full);
            }
            String policy = c.getString("placement.policy");
            PlacementPolicies.create(policy); // fails early, naming the known policies
            String jobPlacement = c.getString("jobs.placement");
            if (!jobPlacement.equals("spread") && !jobPlacement.equals("submitter")) {
                throw new IllegalArgumentException("colony.jobs.placement = '" + Brief.text(jobPlacement)
                        + "': must be spread or submitter");
            }
            // The in-memory journal has no snapshot store: its jobs never snapshot.
            JobSettings jobEntities = new JobSettings(persistence.durable() ? c.getInt("jobs.snapshot-every") : 0,
                    c.getDuration("jobs.passivate-finished-after").toMillis(), c.getDuration("jobs.redeliver-every")
                    .toMillis(), c.getInt("jobs.max-output-reruns"));
            return new ColonySettings(full, systemName, nodes(c), policy, task(c.getConfig("task")),
                    jobs(c.getConfig("jobs")), c.getStringList("kernels.classes"), c.getDuration("start-timeout"),
                    jobEntities, new JobIndex.Settings(c.getInt("jobs.list.keep"), c.getDuration("jobs.list.check-every"),
                    persistence.durable()), persistence, new GpuSettings(c.getDouble("gpu.offload-min-flops"),
                    c.getDuration("gpu.call-timeout")), monitor(c.getConfig("monitor")), learner(c.getConfig("learner")),
                    c.getDuration("drain-timeout"), data(c, !seeds.isEmpty() || c.getInt("port") != 0, persistence.durable()));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid Colony configuration: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} as the Akka address of a seed node of system {@code system}. */
    private static String seedAddress(String system, String seed) {
        int colon = seed.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(seed.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("colony.seed-nodes: '" + seed + "' must be HOST:PORT with a port in 1..65535");
        }
        return "akka://" + system + "@" + seed;
    }

    private static List<NodeSettings> nodes(Config c) {
        Config base = c.getConfig("node");
        List<NodeSettings> nodes = new ArrayList<>();
        nodes.add(node(base));
        for (var extra : c.getConfigList("nodes")) {
            if (!extra.hasPath("name")) {
                throw new IllegalArgumentException("colony.nodes: every entry needs a name");
            }
            nodes.add(node(extra.withFallback(base)));
        }
        long distinct = nodes.stream().map(NodeSettings::name).distinct().count();
        if (distinct != nodes.size()) {
            throw new IllegalArgumentException("colony.node.name and colony.nodes[].name must all differ: "
                    + nodes.stream().map(NodeSettings::name).toList());
        }
        return List.copyOf(nodes);
    }

    private static NodeSettings node(Config n) {
        double cpus = "auto".equals(n.getValue("cpus").unwrapped().toString())
                ? Runtime.getRuntime().availableProcessors() : n.getDouble("cpus");
        long memory = "auto".equals(n.getValue("memory").unwrapped().toString()) ? physicalMemoryBytes()
                : n.getBytes("memory");
        int gpus = "auto".equals(n.getValue("gpus").unwrapped().toString())
                ? BlasBackends.localGpus().map(BlasBackends.Gpus::count).orElse(0)
                : n.getInt("gpus");
        var capacity = new ResourceRequest(cpus, memory, gpus, n.getBytes("gpu-memory"));
        return new NodeSettings(n.getString("name"), capacity, n.getDouble("speed-factor"),
                n.getDuration("offer-ttl").toMillis(), n.getDuration("lease-ttl").toMillis(), n.getInt("max-queue"),
                n.getDuration("keep-reports").toMillis(), n.getInt("lease-reuse.limit"),
                n.getDuration("lease-reuse.idle").toMillis(), n.getDuration("lease-reuse.max-run").toMillis());
    }

    /** The data plane's settings, or null when it is off. */
    static DataSettings data(Config c, boolean peers, boolean durable) {
        Config d = c.getConfig("data");
        String enabled = d.getString("enabled");
        boolean on = switch (enabled) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> peers;
            default -> throw new IllegalArgumentException("colony.data.enabled = " + enabled
                    + " must be on, off or auto");
        };
        if (!on || !durable) {
            return null;
        }
        long term = d.getBytes("term-length");
        if (term > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("colony.data.term-length = " + term + " must be a power of two in "
                    + "64 KiB..1 GiB");
        }
        String host = d.getString("host").isEmpty() ? c.getString("hostname") : d.getString("host");
        return new DataSettings(host, d.getInt("port"), d.getString("aeron-dir"), d.getInt("mtu"), (int) term,
                d.getDuration("idle-timeout"), d.getDuration("idle-park"));
    }

    private static Monitor.Settings monitor(Config m) {
        try {
            return new Monitor.Settings(m.getDuration("sample-every"), m.getInt("max-batch"), m.getInt("max-samples"),
                    m.getInt("max-records"), m.getBoolean("durable"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("colony." + e.getMessage(), e);
        }
    }

    private static LearnerSettings learner(Config l) {
        Config o = l.getConfig("objective");
        return new LearnerSettings(l.getBoolean("enabled"), l.getInt("population"), l.getInt("generations"),
                l.getInt("threads"), l.getLong("seed"), l.getInt("evolve-after-jobs"), l.getInt("window"),
                new Objective(o.getDouble("mean-jct"), o.getDouble("p99-jct"), o.getDouble("makespan"), o.getDouble("cost")),
                l.getDouble("min-improvement"), l.getDouble("canary.slice"), l.getInt("canary.min-jobs"),
                l.getInt("canary.max-jobs"), l.getDouble("canary.confidence"), l.getDouble("decay"),
                l.getInt("snapshot-every"), l.getDuration("publish-every"), l.getInt("max-job-tasks"),
                l.getInt("max-replay-tasks"), l.getDouble("search-share"), l.getInt("search-nice"));
    }

    private static TaskSettings task(Config t) {
        return new TaskSettings(t.getDuration("offer-timeout").toMillis(), t.getInt("max-rounds"),
                t.getDuration("backoff-min").toMillis(), t.getDuration("backoff-max").toMillis(),
                t.getDuration("run-grace").toMillis(), t.getDuration("check-every").toMillis(), t.getLong("seed"),
                t.getDuration("local-first-wait").toMillis());
    }

    private static JobLimits jobs(Config j) {
        return new JobLimits(j.getInt("max-tasks"), j.getInt("default-max-attempts"), j.getInt("max-attempts"),
                j.getDuration("default-timeout").toMillis(), j.getDuration("max-timeout").toMillis(),
                j.getDouble("min-cpus"), new JsonLimits(j.getInt("json.max-depth"), j.getInt("json.max-number-length"),
                        j.getInt("json.max-string-length"), j.getLong("json.max-tokens")));
    }

    private static long physicalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
