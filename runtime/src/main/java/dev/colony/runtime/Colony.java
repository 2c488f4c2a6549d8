package dev.colony.runtime;

import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobAdmission;
import dev.colony.actors.job.JobIndex;
import dev.colony.actors.job.JobManager;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.JobValidator;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.learner.Learner;
import dev.colony.actors.learner.LearnerView;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeLoad;
import dev.colony.actors.node.NodeSettings;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.OutputStoreException;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.policy.Deployment;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.RunEstimates;
import dev.colony.persistence.JournalSettings;
import dev.colony.runtime.http.HttpApi;
import dev.colony.runtime.http.HttpSettings;
import dev.colony.runtime.internal.KnownJobs;
import dev.colony.runtime.internal.ResultWaiter;
import dev.colony.runtime.internal.Stores;
import dev.colony.runtime.internal.SubmissionWaiter;
import dev.colony.runtime.internal.Wiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded Colony runtime: an Akka cluster member hosting compute nodes, the job manager and
 * sharded job and task entities.
 *
 * <pre>{@code
 * try (Colony colony = Colony.start(ColonySettings.load())) {
 *     JobSpec job = JobSpec.of("hello", List.of(TaskSpec.of("t1", "spin", Map.of("work", 50))));
 *     JobResult result = colony.submit(job).toCompletableFuture().join();
 *     System.out.println(result.outcome());
 * }
 * }</pre>
 *
 * <p>Thread safety: every method may be called from any thread. {@link #close()} stops the
 * runtime; futures of jobs still running then complete exceptionally.
 */
public final class Colony implements AutoCloseable {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ActorSystem<Void> system;
    private final ColonySettings settings;
    private final Wiring wiring;
    private final AtomicLong waiters = new AtomicLong();

    private final OutputStore outputs;
    private final KnownJobs known;
    private volatile InetSocketAddress httpAddress; // where the HTTP API listens; null when it is off

    private Colony(ActorSystem<Void> system, ColonySettings settings, Wiring wiring, OutputStore outputs) {
        this.system = system;
        this.settings = settings;
        this.wiring = wiring;
        this.outputs = outputs;
        this.known = new KnownJobs(system, wiring.jobList(),
                settings.persistence().journal().kind() != JournalSettings.Kind.MEMORY, ASK_TIMEOUT);
    }

    /**
     * Starts a runtime and waits until its cluster member is up and its nodes have registered.
     *
     * @throws IllegalStateException when it is not ready within {@code colony.start-timeout}
     * @throws IllegalArgumentException when a kernel class cannot be loaded
     */
    public static Colony start(ColonySettings settings) {
        KernelRegistry kernels = KernelRegistry.discover(Colony.class.getClassLoader(), settings.kernelClasses());
        HttpSettings http = HttpSettings.of(settings.config().getConfig("colony"));
        PersistenceSettings p = settings.persistence();
        if (p.durable()) {
            p.secureDataDir();
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), settings.systemName(), settings.config());
        Wiring.warnIfEntitiesLogAtDebug(system);
        try {
            OutputStore outputs = Stores.open(system, settings);
            CompletableFuture<Void> up = new CompletableFuture<>();
            akka.cluster.Cluster.get(akka.actor.typed.javadsl.Adapter.toClassic(system))
                    .registerOnMemberUp(() -> up.complete(null));
            Cluster cluster = Cluster.get(system);
            if (settings.config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address())); // a cluster of its own
            } // else Akka joins the seed nodes by itself
            long deadline = System.nanoTime() + settings.startTimeout().toNanos();
            up.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // Before this process hosts anything: one journal per cluster, one cluster per journal.
            ClusterMembership.refuseAnotherJournal(cluster);
            ClusterMembership.refuseAnotherCluster(cluster, p.journal(), settings.config());
            Wiring wiring = Wiring.start(system, settings, kernels, outputs, InstantSource.system());
            wiring.nodes().awaitNames(settings.nodes().stream().map(NodeSettings::name).toList()).toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            Colony colony = new Colony(system, settings, wiring, outputs);
            if (http.enabled()) {
                colony.httpAddress = HttpApi.start(colony, http).toCompletableFuture()
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).localAddress();
            }
            return colony;
        } catch (TimeoutException e) {
            system.terminate();
            List<String> seeds = settings.config().getStringList("akka.cluster.seed-nodes");
            throw new IllegalStateException("Colony did not start within " + settings.startTimeout()
                    + " (colony.start-timeout): " + (seeds.isEmpty() ? "cluster member not up or nodes not registered"
                    : "no seed node of " + seeds + " (colony.seed-nodes) let this process join"), e);
        } catch (InterruptedException e) {
            system.terminate();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Colony", e);
        } catch (ExecutionException | IOException | RuntimeException e) {
            system.terminate();
            awaitTermination(system, Duration.ofSeconds(30));
            throw new IllegalStateException("Colony failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Submits a job. The stage completes when the job ends — Succeeded, Failed or Rejected (with
     * every problem of an invalid spec named) — however long it runs.
     */
    public CompletionStage<JobResult> submit(JobSpec spec) {
        return accept(spec).thenCompose(Submission::result);
    }

    /**
     * Submits a job and completes once it is decided: accepted only after its acceptance is in the
     * journal, so an accepted job ends Succeeded or Failed whatever crashes after this; rejected
     * with every problem named; or refused because another submission holds its id (the job's
     * entity decides, so of two racing submissions of one id exactly one is accepted).
     */
    public CompletionStage<Submission> accept(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Optional<String> journal = journalProblem();
        if (journal.isPresent()) {
            return CompletableFuture.failedFuture(new JournalUnavailableException(journal.get()));
        }
        known.submitted(spec.id());
        CompletableFuture<JobAdmission> admission = new CompletableFuture<>();
        CompletableFuture<JobResult> result = new CompletableFuture<>();
        ActorRef<Object> waiter = system.systemActorOf(SubmissionWaiter.create(spec.id(), admission, result,
                InstantSource.system()), "colony-waiter-" + waiters.incrementAndGet(), Props.empty());
        // The manager sends the Start again until the job ends.
        wiring.jobManager().tell(new JobManager.SubmitJob(spec, waiter.narrow(), waiter.narrow()));
        CompletionStage<JobResult> ended = withStoredOutputs(result);
        return admission.thenApply(a -> new Submission(a, ended));
    }

    /** The result of job {@code jobId}: at once if it ended, else when it does; Rejected if unknown. */
    public CompletionStage<JobResult> result(String jobId) {
        CompletableFuture<JobResult> result = new CompletableFuture<>();
        ActorRef<JobResult> waiter = spawnWaiter(result, "job '" + jobId + "' ended");
        wiring.jobs().apply(jobId).tell(new Job.Watch(waiter, false));
        watchAgain(jobId, waiter, result);
        return withStoredOutputs(result);
    }

    /**
     * Registers {@code waiter} with job {@code jobId} again every {@code colony.jobs.redeliver-every}
     * until {@code result} completes: a job entity that restarts on another member (its member
     * crashed) has forgotten who watched it.
     */
    private void watchAgain(String jobId, ActorRef<JobResult> waiter, CompletableFuture<JobResult> result) {
        Duration every = Duration.ofMillis(settings.jobEntities().redeliverEveryMs());
        Cancellable again = system.scheduler().scheduleWithFixedDelay(every, every,
                () -> wiring.jobs().apply(jobId).tell(new Job.Watch(waiter, true)), system.executionContext());
        result.whenComplete((r, e) -> again.cancel());
    }

    /** Reads outputs too large to travel inline back from the output store (off the actor threads). */
    private CompletionStage<JobResult> withStoredOutputs(CompletableFuture<JobResult> result) {
        return result.thenComposeAsync(r -> {
            if (r.storedOutputs().isEmpty()) {
                return CompletableFuture.completedFuture(r);
            }
            Map<String, JsonNode> read = new HashMap<>();
            try {
                r.storedOutputs().forEach((id, ref) -> read.put(id, outputs.get(TaskOutput.stored(ref))));
            } catch (OutputStoreException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(r.withOutputs(read));
        }, system.dispatchers().lookup(DispatcherSelector.blocking()));
    }

    /**
     * The current status of job {@code jobId} with every task (phase Unknown when there is no such
     * job). A large job's tasks are read in pages of {@link Job.GetTasks#MOST}, one after another, so
     * they may come from a few moments; {@link #tasks} reads one page.
     */
    public CompletionStage<JobStatus> status(String jobId) {
        return tasks(jobId, null, 0, Job.GetTasks.MOST).thenCompose(first -> {
            Map<String, TaskSummary> all = new LinkedHashMap<>(first.tasks());
            CompletionStage<Map<String, TaskSummary>> read = CompletableFuture.completedFuture(all);
            for (long p = 1; p < first.page().pages(); p++) {
                int page = (int) p;
                read = read.thenCompose(m -> tasks(jobId, null, page, Job.GetTasks.MOST).thenApply(s -> {
                    m.putAll(s.tasks());
                    return m;
                }));
            }
            return read.thenApply(m -> new JobStatus(first.jobId(), first.phase(), first.reason(), m,
                    first.acceptedAtMs(), first.finishedAtMs()));
        });
    }

    /**
     * Page {@code page} (from 0) of {@code size} (1 to {@link Job.GetTasks#MOST}) tasks of job
     * {@code jobId} in {@code state} (null: all), in the order of its spec ({@link JobStatus#page()}
     * says how many match); page 0 carries the counts of every state.
     *
     * @throws IllegalArgumentException for a page below 0 or a size out of range
     */
    public CompletionStage<JobStatus> tasks(String jobId, TaskSummary.TaskState state, int page, int size) {
        Objects.requireNonNull(jobId, "jobId");
        new Job.GetTasks(state, page, size, null); // checks the page
        return AskPattern.ask(wiring.jobs().apply(jobId), r -> new Job.GetTasks(state, page, size, r), ASK_TIMEOUT,
                system.scheduler());
    }

    /**
     * Up to {@code limit} jobs of the cluster, newest first, in {@code phase} (null: any): every
     * running job and the latest {@code colony.jobs.list.keep} ended ones are listed.
     */
    public CompletionStage<JobIndex.Listing> jobs(JobStatus.Phase phase, int limit) {
        return AskPattern.ask(wiring.jobList(), r -> new JobIndex.ListJobs(phase, limit, r), ASK_TIMEOUT,
                system.scheduler());
    }

    /**
     * The status of job {@code jobId} in its small form: phase, times and how many tasks are in
     * each state ({@link JobStatus#count}), without each task's summary.
     */
    public CompletionStage<JobStatus> progress(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return AskPattern.ask(wiring.jobs().apply(jobId), r -> new Job.GetStatus(r, true), ASK_TIMEOUT,
                system.scheduler());
    }

    /**
     * Whether job {@code jobId} may exist, asked without starting a job entity ({@link KnownJobs}:
     * submitted here lately, in the job list, or with an event in a durable journal). The HTTP API
     * answers 404 for any other id.
     */
    public CompletionStage<Boolean> knows(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return known.knows(jobId);
    }

    /** Cancels job {@code jobId}: it ends Failed with {@code reason}; no effect on an ended job. */
    public void cancel(String jobId, String reason) {
        wiring.jobs().apply(jobId).tell(new Job.Cancel(reason));
    }

    /**
     * Why {@code spec} would be rejected, as {@link #submit} would say it (kernels, limits, the nodes
     * known now), or empty when it is valid.
     */
    public Optional<String> validate(JobSpec spec) {
        var r = new JobValidator(kernels(), settings.jobs()).validate(spec, wiring.nodes().capacities());
        return r.accepted().isPresent() ? Optional.empty() : Optional.of(r.reason());
    }

    /**
     * Why this process cannot write its journal now (see {@code colony.health}), or empty when it
     * can: meanwhile {@link #accept} fails with {@link JournalUnavailableException}.
     */
    public Optional<String> journalProblem() {
        return wiring.health() == null ? Optional.empty() : wiring.health().problem();
    }

    /** Where this runtime's HTTP API listens ({@code colony.http}); empty when it is off. */
    public Optional<InetSocketAddress> httpAddress() {
        return Optional.ofNullable(httpAddress);
    }

    /** How many jobs whose entity ran in this process have ended with {@code outcome} since it started. */
    public long jobsEnded(JobResult.Outcome outcome) {
        return wiring.tally().ended(outcome);
    }

    /** The nodes this runtime knows, sorted by name. */
    public List<NodeDescriptor> nodes() {
        return wiring.nodes().nodes();
    }

    /** The current load of node {@code node}. */
    public CompletionStage<NodeLoad> load(NodeDescriptor node) {
        return AskPattern.ask(node.ref(), Node.GetLoad::new, ASK_TIMEOUT, system.scheduler());
    }

    /** Every known node with its current load, or null for one that did not answer within 5 s; in name order. */
    public CompletionStage<Map<NodeDescriptor, NodeLoad>> loads() {
        Map<NodeDescriptor, CompletableFuture<NodeLoad>> asks = new LinkedHashMap<>();
        nodes().forEach(n -> asks.put(n, load(n).toCompletableFuture().completeOnTimeout(null, 5, TimeUnit.SECONDS)
                .exceptionally(e -> null)));
        return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<NodeDescriptor, NodeLoad> loads = new LinkedHashMap<>();
            asks.forEach((n, f) -> loads.put(n, f.join()));
            return loads;
        });
    }

    /**
     * The learner's state: the performance model, the deployed policies and the canary on trial,
     * the generation, and every version with why it was promoted or rolled back.
     *
     * @throws IllegalStateException when the learner is off ({@code colony.learner.enabled})
     */
    public CompletionStage<LearnerView> learner() {
        return AskPattern.ask(learnerRef(), Learner.GetView::new, ASK_TIMEOUT, system.scheduler());
    }

    /**
     * Puts {@code genome} on trial as a canary on the configured slice of new jobs; the learner
     * promotes or rolls it back on its live results. Completes with the new version, or fails
     * while another candidate is on trial.
     */
    public CompletionStage<Long> tryPolicy(PolicyGenome genome, String reason) {
        Objects.requireNonNull(genome, "genome");
        return AskPattern.<Learner.Command, StatusReply<Long>>ask(learnerRef(),
                replyTo -> new Learner.TryCandidate(genome, reason, replyTo), ASK_TIMEOUT, system.scheduler())
                .thenApply(StatusReply::getValue);
    }

    /** The placement policies this process assigns to new jobs now. */
    public Deployment deployment() {
        return wiring.policies().deployment();
    }

    /** The run-time estimates this process's tasks place with (the learner's latest). */
    public RunEstimates estimates() {
        return wiring.policies().estimates();
    }

    private ActorRef<Learner.Command> learnerRef() {
        if (wiring.learner() == null) {
            throw new IllegalStateException("the learner is off (colony.learner.enabled = off)");
        }
        return wiring.learner();
    }

    /** The kernels this runtime can run. */
    public KernelRegistry kernels() {
        return wiring.kernels();
    }

    /** The settings the runtime started with. */
    public ColonySettings settings() {
        return settings;
    }

    /** The actor system, for embedding services that talk to Colony's actors directly. */
    public ActorSystem<Void> system() {
        return system;
    }

    /** The job manager actor, for sending {@link JobManager.SubmitJob} directly. */
    public ActorRef<JobManager.Command> jobManager() {
        return wiring.jobManager();
    }

    /**
     * Stops the runtime and waits for it to terminate: its nodes first hand back queued tasks and
     * let running kernels finish (up to {@code colony.drain-timeout}), then it leaves the cluster.
     * Waits as long as Akka's coordinated shutdown may take (the sum of its phases' timeouts, the
     * drain's among them), and a few seconds more. Idempotent.
     */
    @Override
    public void close() {
        system.terminate();
        Duration limit = Duration.ofMillis(CoordinatedShutdown.get(system).totalTimeout().toMillis()).plusSeconds(5);
        if (!awaitTermination(system, limit)) {
            throw new IllegalStateException("Colony did not stop within " + limit.toSeconds()
                    + " s (the sum of akka.coordinated-shutdown's phase timeouts, and 5 s)");
        }
    }

    private static boolean awaitTermination(ActorSystem<?> system, Duration limit) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private ActorRef<JobResult> spawnWaiter(CompletableFuture<JobResult> future, String what) {
        return system.systemActorOf(ResultWaiter.create(future, what), "colony-waiter-" + waiters.incrementAndGet(),
                Props.empty()).narrow();
    }
}
