package dev.colony.runtime.internal;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.typesafe.config.Config;
import dev.colony.actors.ShardPlacement;
import dev.colony.actors.Traffic;
import dev.colony.actors.gpu.BridgeAccess;
import dev.colony.actors.gpu.GpuBridge;
import dev.colony.actors.gpu.GpuSettings;
import dev.colony.actors.job.Admission;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobEntry;
import dev.colony.actors.job.JobIndex;
import dev.colony.actors.job.JobManager;
import dev.colony.actors.job.JobReporter;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobValidator;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.kernel.GpuAccess;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.learner.Learner;
import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.monitor.Monitor;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDirectory;
import dev.colony.actors.node.NodeFeedback;
import dev.colony.actors.node.NodeGauge;
import dev.colony.actors.node.NodeSettings;
import dev.colony.actors.node.NodeView;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PolicyBoard;
import dev.colony.actors.policy.PolicyDistribution;
import dev.colony.actors.task.Task;
import dev.colony.actors.task.TaskDeps;
import dev.colony.actors.task.TaskShards;
import dev.colony.gpu.BlasBackends;
import dev.colony.runtime.ColonySettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.LoggerFactory;

/**
 * Starts Colony's actors in an actor system: sharded job and task entities, the node directory,
 * this process's nodes with their monitors, the job manager, the policy distribution, the list of
 * jobs and the learner singleton.
 *
 * @param jobManager where submissions go
 * @param jobs       job id → the job's entity
 * @param jobList    the list of jobs (a singleton's proxy)
 * @param nodes      the shared view of known nodes
 * @param policies   the placement policies deployed, by version (version 0: colony.placement.policy)
 * @param learner    the learner singleton's proxy; null when the learner is off
 * @param tally      jobs whose entity ran in this process that ended, by outcome
 * @param health     whether this process can write its journal; null for the in-memory journal
 */
public record Wiring(ActorRef<JobManager.Command> jobManager, Function<String, RecipientRef<Job.Command>> jobs,
                     ActorRef<JobIndex.Command> jobList, NodeView nodes, PolicyBoard policies, KernelRegistry kernels,
                     ActorRef<Learner.Command> learner, JobTally tally, JournalHealth health) {

    /** The placement of job and task shards that {@code colony.jobs.placement} names (checked by {@link ColonySettings}). */
    private static ShardPlacement placement(ActorSystem<?> system, String placement) {
        return placement.equals("submitter") ? ShardPlacement.of(system) : ShardPlacement.spread(system);
    }

    /** Spawns everything; the cluster must be joining (sharding waits for it to be up). */
    public static Wiring start(ActorSystem<?> system, ColonySettings settings, KernelRegistry kernels,
                               OutputStore outputs, InstantSource clock) {
        ClusterSharding sharding = ClusterSharding.get(system);
        Function<String, RecipientRef<Task.Command>> tasks = id -> sharding.entityRefFor(Task.TYPE_KEY, id);
        Function<String, RecipientRef<Job.Command>> jobs = id -> sharding.entityRefFor(Job.TYPE_KEY, id);
        NodeView view = new NodeView();
        PlacementPolicy base = PlacementPolicies.create(settings.policy());
        PolicyBoard board = new PolicyBoard(base);
        var distribution = system.systemActorOf(PolicyDistribution.create(board), "colony-policy", Props.empty());
        ToDoubleFunction<TaskSpec> workSize = t -> kernels.find(t.kernel()).map(k -> k.workSize(t.params())).orElse(1.0);
        TaskDeps deps = new TaskDeps(settings.task(), board, view, jobs, workSize);
        // A task lives on its job's shard, placed where its job first sends to it, or, spread, where
        // its job's shard is placed (ShardPlacement): with its job either way.
        int shards = ClusterShardingSettings.create(system).numberOfShards();
        String placement = settings.config().getString("colony.jobs.placement");
        sharding.init(Entity.of(Task.TYPE_KEY, ctx -> Task.create(ctx.getEntityId(), deps, ctx.getShard()))
                .withStopMessage(Task.HandOff.INSTANCE).withMessageExtractor(new TaskShards(shards))
                .withAllocationStrategy(placement(system, placement)));
        system.systemActorOf(NodeDirectory.create(view), "colony-node-directory", Props.empty());
        system.systemActorOf(Traffic.probe(), "colony-traffic", Props.empty());
        Executor kernelExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig("colony.kernel-dispatcher"));
        List<ActorRef<Monitor.Command>> monitors = new ArrayList<>();
        List<ActorRef<Node.Command>> nodeRefs = new ArrayList<>();
        List<NodeGauge> gauges = new ArrayList<>();
        boolean learning = settings.learner().enabled(); // else no records: nobody would take them
        for (NodeSettings n : settings.nodes()) {
            String name = URLEncoder.encode(n.name(), StandardCharsets.UTF_8);
            NodeGauge gauge = new NodeGauge(n.capacity().gpus());
            gauges.add(gauge);
            var monitor = system.systemActorOf(Monitor.create(n.name(), settings.monitor(),
                    () -> gauge.sample(n.name(), clock.millis()), gauge::addGpuBusyMs), "colony-monitor-" + name,
                    Props.empty());
            monitors.add(monitor);
            nodeRefs.add(system.systemActorOf(Node.create(n, kernels, kernelExecutor, outputs, gpus(system, n, name,
                    settings.gpu()), new NodeFeedback(learning ? monitor : null, gauge), clock), "colony-node-" + name,
                    Props.empty()));
        }
        drainOnShutdown(system, nodeRefs, settings.drainTimeout(),
                settings.config().getDuration("colony.drain-settle"));
        // Jobs that end in this process report to its first node's monitor (unless they are too large).
        ActorRef<Monitor.Command> jobMonitor = monitors.getFirst();
        int maxTasks = settings.learner().maxJobTasks();
        JobTally tally = new JobTally();
        Set<String> loadedJobs = ConcurrentHashMap.newKeySet(); // job entities in this process's memory
        Retention retention = retain(system, settings, outputs, id -> {
            if (loadedJobs.contains(id) || !alone(system)) { // in a cluster it may be in another member's memory
                jobs.apply(id).tell(Job.Forget.INSTANCE);
            }
        });
        FinishedJobs finished = new FinishedJobs(settings.config().getLong("colony.jobs.finished-tasks-in-memory"),
                id -> jobs.apply(id).tell(Job.Forget.INSTANCE));
        ActorRef<JobIndex.Command> index = singleton(system, JobIndex.create(settings.jobList(), jobs, clock),
                "colony-job-index");
        JobReporter reporter = new JobReporter() {
            @Override
            public void accepted(JobSpec spec, long atMs) {
                index.tell(new JobIndex.Record(JobEntry.running(spec, atMs)));
            }

            @Override
            public void loaded(String jobId) {
                loadedJobs.add(jobId);
            }

            @Override
            public void unloaded(String jobId) {
                loadedJobs.remove(jobId);
                finished.unloaded(jobId);
            }

            @Override
            public void ended(JobSpec spec, JobResult result, long version) {
                tally.ended(result);
                index.tell(new JobIndex.Record(JobEntry.ended(spec, result)));
                if (retention != null) {
                    retention.ended(spec.id(), result.finishedAtMs(), spec.labels());
                }
                if (learning && spec.tasks().size() <= maxTasks) {
                    jobMonitor.tell(new Monitor.JobEnded(JobRecord.of(spec, result, version, workSize)));
                }
                finished.finished(spec.id(), spec.tasks().size());
            }
        };
        // Jobs are remembered: after a crash they restart by themselves and release their unfinished
        // tasks again. Tasks are not (nor journalled): their job wakes them with what its journal says.
        int window = settings.config().getInt("colony.jobs.dispatch-window");
        Config jobLimits = settings.config().getConfig("colony.jobs");
        Admission admission = new Admission(jobLimits.getInt("max-running"), jobLimits.getInt("max-queued"),
                jobLimits.getInt("max-tasks-out"));
        IntSupplier dispatchWindow = window > 0 ? () -> window : () -> Math.max(64, (int) Math.ceil(16 * view.nodes()
                .stream().mapToDouble(n -> n.capacity().cpus()).sum()));
        sharding.init(Entity.of(Job.TYPE_KEY, ctx -> Job.create(ctx.getEntityId(), tasks,
                        jobs.apply(ctx.getEntityId()), clock, settings.jobEntities(), reporter, dispatchWindow,
                        admission, ctx.getShard()))
                .withStopMessage(Job.HandOff.INSTANCE)
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true))
                // Spread over the members, or where it was submitted (colony.jobs.placement); never
                // moved by rebalancing: a moved job stops and recovers mid-run.
                .withAllocationStrategy(placement(system, placement)));
        var manager = system.systemActorOf(JobManager.create(new JobValidator(kernels, settings.jobs()), view, jobs,
                board::assign, clock, Duration.ofMillis(settings.jobEntities().redeliverEveryMs()),
                FrameParts.of(system), admission), "colony-job-manager", Props.empty());
        ActorRef<Learner.Command> learner = null;
        if (settings.learner().enabled()) {
            learner = singleton(system, Learner.create(settings.learner(), view::nodes, base,
                    settings.persistence().durable(), clock,
                    update -> distribution.tell(new PolicyDistribution.Publish(update))), "colony-learner");
        }
        return new Wiring(manager, jobs, index, view, board, kernels, learner, tally, watchJournal(system, settings,
                gauges));
    }

    /**
     * Records ended jobs and deletes them past colony.retention (durable journals only), telling
     * {@code forget} each one deleted. Waking a job that is not in memory only to stop it again
     * cost every job of a soak two more remembered-entity writes and a recovery.
     */
    private static Retention retain(ActorSystem<?> system, ColonySettings settings, OutputStore outputs,
                                    Consumer<String> forget) {
        if (!settings.persistence().durable()) {
            return null;
        }
        Retention retention = Retention.start(settings.persistence().journal(), Retention.Settings.of(
                settings.config().getConfig("colony")), outputs, Cluster.get(system), forget);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "colony-retention", () -> CompletableFuture.supplyAsync(() -> {
                    retention.close();
                    return Done.getInstance();
                }));
        return retention;
    }

    /** Checks that the journal can be written; while it cannot, the nodes take no work and say why. */
    private static JournalHealth watchJournal(ActorSystem<?> system, ColonySettings settings, List<NodeGauge> gauges) {
        if (!settings.persistence().durable()) {
            return null;
        }
        Config h = settings.config().getConfig("colony.health");
        JournalHealth health = JournalHealth.start(settings.persistence().journal(), Cluster.get(system),
                h.getBytes("journal-reserve"), h.getDuration("check-every"), h.getDuration("cluster-lease-ttl"), problem -> {
                    gauges.forEach(g -> g.journalProblem(problem));
                    if (problem != null) {
                        system.log().error("the journal cannot be written; this process takes no work until it can: {}",
                                problem);
                    } else {
                        system.log().info("the journal can be written again");
                    }
                });
        // A member that leaves in order gives the cluster lease up, so the next cluster need not wait for it to lapse.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "colony-journal-health", () -> CompletableFuture.supplyAsync(() -> {
                    health.close();
                    return Done.getInstance();
                }));
        system.getWhenTerminated().thenRun(health::close);
        return health;
    }

    /** Whether this process is the cluster's only member. */
    private static boolean alone(ActorSystem<?> system) {
        int members = 0;
        for (Member ignored : Cluster.get(system).state().getMembers()) {
            members++;
        }
        return members <= 1;
    }

    /** The cluster singleton {@code name}, running {@code behavior}, restarted with back-off (1 s to 30 s) on failure. */
    private static <T> ActorRef<T> singleton(ActorSystem<?> system, Behavior<T> behavior, String name) {
        return ClusterSingleton.get(system).init(SingletonActor.of(Behaviors.supervise(behavior).onFailure(
                SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)), name));
    }

    /**
     * When the process leaves (SIGTERM, {@code Colony.close}), its nodes first hand back their
     * queued and leased tasks and let running kernels finish, for up to {@code timeout}, before
     * sharding hands off the entities and the member leaves the cluster.
     */
    private static void drainOnShutdown(ActorSystem<?> system, List<ActorRef<Node.Command>> nodes, Duration timeout,
                                        Duration settle) {
        // After the last kernel, its report still travels node → task → job → journal (tasks journal
        // nothing): sharding hands the jobs off only after colony.drain-settle.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "colony-drain-nodes",
                () -> CompletableFuture.allOf(nodes.stream().map(n -> AskPattern.<Node.Command, Done>ask(n,
                                Node.Drain::new, timeout, system.scheduler()).toCompletableFuture()
                                .exceptionally(e -> Done.getInstance()))
                        .toArray(CompletableFuture[]::new)).thenCompose(v -> {
                            var settled = new CompletableFuture<Done>();
                            system.scheduler().scheduleOnce(settle, () -> settled.complete(Done.getInstance()),
                                    system.executionContext());
                            return settled;
                        }));
    }

    /** One GpuBridge per GPU the node declares, each on its own thread; none for a CPU-only node. */
    private static List<GpuAccess> gpus(ActorSystem<?> system, NodeSettings n, String name, GpuSettings settings) {
        int wanted = n.capacity().gpus();
        if (wanted == 0) {
            return List.of();
        }
        BlasBackends.Gpus found = BlasBackends.localGpus().orElseThrow(() ->
                new IllegalArgumentException("node '" + n.name() + "' declares gpus = " + wanted
                        + " but no GPU is usable here: " + BlasBackends.whyNoLocalGpu()
                        + " (set colony.node.gpus = 0 or auto)"));
        if (wanted > found.count()) {
            throw new IllegalArgumentException("node '" + n.name() + "' declares gpus = " + wanted + " but this machine has "
                    + found.count() + " CUDA device(s)");
        }
        List<GpuAccess> bridges = new ArrayList<>();
        for (int d = 0; d < wanted; d++) {
            var bridge = system.systemActorOf(GpuBridge.create(n.name(), found.libraries(), d),
                    "colony-gpu-" + name + "-" + d, GpuBridge.DISPATCHER);
            bridges.add(new BridgeAccess(d, bridge, system.scheduler(), settings));
        }
        return bridges;
    }

    private static final String ENTITY_LOGGER = "akka.persistence.typed.internal.EventSourcedBehaviorImpl";

    /**
     * Akka's event-sourced entities log through SLF4J whatever {@code akka.loglevel} says, and
     * logback without a configuration logs everything at DEBUG: every job and task entity then
     * logs its recovery, which costs most of the durable task rate. Says so once.
     */
    public static void warnIfEntitiesLogAtDebug(ActorSystem<Void> system) {
        if (LoggerFactory.getLogger(ENTITY_LOGGER).isDebugEnabled()) {
            system.log().warn("logger '{}' is at DEBUG (logback's default without a logback.xml): every job and task "
                    + "entity logs its recovery, which costs most of the durable task rate; set it to INFO or "
                    + "above (see README, Logging)", ENTITY_LOGGER);
        }
    }
}
