package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.colony.actors.Traffic;
import dev.colony.actors.node.Attempt;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The attempts a job runs itself, as Ray's owners do: a lease a node handed on after one of the
 * job's tasks succeeded goes to a held task that fits it, and the job sends that task's
 * {@code Run} straight to the node, whose report comes back to the job; no task entity starts and
 * nothing is negotiated (a tiny task costs a Run and a report instead of ~10 messages). Runs and
 * reports ready together travel in one message per node and job ({@link Node.Runs},
 * {@link NodeReply.Successes}).
 *
 * <p>A run still out after {@link #CHECK_EVERY} to twice that is journalled like one its task
 * started ({@link Job.AttemptRunning}, under the number its release reserved), so the job's status
 * shows it RUNNING; a tiny one journals only its outcome (an AttemptStarted per task cost 12 % of
 * JMH DurableDispatch on H2, and a job that restarts asks for new numbers either way). Anything but
 * a success, a node that is gone, or a run still out at two redelivery ticks in a row hands the
 * attempt to the task's entity ({@link Task.Adopt}, then the report), which goes on as if it had
 * started it: deadlines, retries, lineage and withdrawal stay the task's. A job that restarts
 * forgets its runs; its unfinished tasks are sent their work again and their entities ask for new
 * numbers, so a late report (to the old incarnation's adapter) is never counted. Used on the job
 * entity's thread only.
 */
final class DirectRuns {

    /** How often runs still out are journalled as running (each after this to twice this). */
    static final Duration CHECK_EVERY = Duration.ofMillis(100);

    /** Attempt {@code execute.attempt()} of {@code taskId} runs under {@code lease}, for {@code policy}'s job. */
    private record Run(String taskId, Task.Execute execute, HandedLease lease, String policy, long startedAtMs) {

        Lease key() {
            return new Lease(lease.nodeName(), lease.leaseId());
        }
    }

    /** Lease {@code id} of node {@code node} (each node numbers its own leases). */
    private record Lease(String node, long id) {
    }

    private final String jobId;
    private final Function<String, RecipientRef<Task.Command>> tasks;
    private final ActorRef<NodeReply> replies;
    private final Consumer<Job.Command> report;
    private final Consumer<ActorRef<Node.Command>> watch;
    private final InstantSource clock;
    private final TimerScheduler<Job.Command> timers;
    private final Job.Command check;
    private final Map<Lease, Run> byLease = new LinkedHashMap<>();
    private final Map<String, Lease> byTask = new HashMap<>();
    private final Map<Lease, String> adopted = new HashMap<>(); // lease → task whose entity took its run over
    private final Set<Lease> seenByTick = new HashSet<>();
    private final Set<ActorRef<Node.Command>> watched = new HashSet<>();
    private final Map<ActorRef<Node.Command>, List<Node.Run>> sending = new LinkedHashMap<>(); // till the flush
    private Set<Lease> young = new HashSet<>(); // runs started since the last check
    private Set<Lease> old = new HashSet<>(); // runs out at the last check, not journalled as running
    private boolean checking; // the check's timer is set

    /**
     * The runs of job {@code jobId}, whose task entities {@code tasks} names; nodes report to
     * {@code replies}; {@code report} tells the job (through its inbox) what it journals of a run;
     * {@code watch} has the job told when a node is gone; {@code check} comes back through
     * {@code timers} for {@link #check()}.
     */
    DirectRuns(String jobId, Function<String, RecipientRef<Task.Command>> tasks, ActorRef<NodeReply> replies,
               Consumer<Job.Command> report, Consumer<ActorRef<Node.Command>> watch, InstantSource clock,
               TimerScheduler<Job.Command> timers, Job.Command check) {
        this.jobId = jobId;
        this.tasks = tasks;
        this.replies = replies;
        this.report = report;
        this.watch = watch;
        this.clock = clock;
        this.timers = timers;
        this.check = check;
    }

    /**
     * Runs {@code m} (fresh: its release reserved the attempt's number) under {@code lease}, placed
     * by {@code policy}; its Run goes with the next {@link #flush}.
     */
    void run(Task.Execute m, HandedLease lease, String policy) {
        TaskSpec spec = m.spec();
        long now = clock.millis();
        Run run = new Run(spec.id(), m, lease, policy, now);
        byLease.put(run.key(), run);
        byTask.put(spec.id(), run.key());
        if (watched.add(lease.node())) {
            watch.accept(lease.node());
        }
        sending.computeIfAbsent(lease.node(), k -> new ArrayList<>(4)).add(new Node.Run(lease.leaseId(),
                new Attempt(jobId, spec.id(), m.attempt(), spec.kernel(), spec.params(), m.inputs(), spec.timeoutMs(),
                        m.policyVersion()), replies));
        young.add(run.key());
        if (!checking) {
            checking = true;
            timers.startSingleTimer(check, CHECK_EVERY);
        }
    }

    /**
     * The check: runs that were out at the previous check too are journalled as running (with
     * the job's next batch); the timer is set again while runs are out.
     */
    void check() {
        for (Lease l : old) {
            Run r = byLease.get(l);
            if (r != null) {
                Task.Execute m = r.execute();
                report.accept(new Job.AttemptRunning(r.taskId(), m.reruns(), m.attempt(), r.lease().nodeName(), 0,
                        r.policy(), r.startedAtMs()));
            }
        }
        old = young;
        young = new HashSet<>();
        checking = !old.isEmpty();
        if (checking) {
            timers.startSingleTimer(check, CHECK_EVERY);
        }
    }

    /** Sends the Runs since the last flush, one message per node. */
    void flush() {
        if (!sending.isEmpty()) {
            sending.forEach((node, runs) -> Traffic.tell(node, runs.size() == 1 ? runs.getFirst()
                    : new Node.Runs(runs)));
            sending.clear();
        }
    }

    /** Whether the job runs an attempt of {@code taskId} itself. */
    boolean runs(String taskId) {
        return byTask.containsKey(taskId);
    }

    /**
     * A node's report on a run: the task's success as its entity would report it (with the lease
     * the node handed on, if any), or null when there is nothing to batch: anything else went to
     * the task's entity with the attempt, and a report about a run the job no longer has went to
     * the entity that adopted it, or was stale.
     */
    Job.Command reported(NodeReply reply) {
        Lease lease = switch (reply) {
            case NodeReply.AttemptSucceeded s -> new Lease(s.nodeName(), s.leaseId());
            case NodeReply.AttemptFailed f -> new Lease(f.nodeName(), f.leaseId());
            case NodeReply.LeaseLapsed l -> new Lease(l.nodeName(), l.leaseId());
            default -> null;
        };
        Run r = lease == null ? null : forget(lease);
        if (r == null) {
            String taskId = lease == null ? null : adopted.remove(lease);
            if (taskId != null) {
                Traffic.tell(entity(taskId), reply);
            }
            return null;
        }
        if (reply instanceof NodeReply.AttemptSucceeded s && s.attempt() == r.execute().attempt()) {
            TaskSummary before = r.execute().journalled();
            TaskSummary summary = new TaskSummary(TaskSummary.TaskState.SUCCEEDED, s.nodeName(), before.attempts() + 1,
                    0, s.runMs(), r.policy(), before.error(), r.execute().reruns(), r.startedAtMs());
            HandedLease next = s.nextLease() < 0 ? null
                    : new HandedLease(r.lease().node(), s.nodeName(), s.nextLease(), r.lease().resources());
            return new Job.TaskSucceeded(r.taskId(), s.attempt(), s.output(), summary, next);
        }
        adopt(r, false);
        Traffic.tell(entity(r.taskId()), reply);
        return null;
    }

    /**
     * The redelivery tick: runs that were out at the previous tick too go to their entities (a lost
     * report, or a long kernel: the entity watches it from now on); adoptions of tasks no longer in
     * flight are forgotten.
     */
    void tick(JobState state) {
        adopted.values().removeIf(id -> !state.inFlight(id));
        List<Run> old = new ArrayList<>();
        for (Run r : byLease.values()) {
            if (!seenByTick.add(r.key())) {
                old.add(r);
            }
        }
        old.forEach(r -> adopt(forget(r.key()), true));
    }

    /** Node {@code node} is gone: its runs go to their entities, which find it gone and place them again. */
    void nodeGone(ActorRef<Node.Command> node) {
        watched.remove(node);
        List<Run> on = byLease.values().stream().filter(r -> r.lease().node().equals(node)).toList();
        on.forEach(r -> adopt(forget(r.key()), true));
    }

    /** Withdraws the run of {@code taskId}, if the job has one: the job failed. Returns whether it had. */
    boolean cancel(String taskId, String reason) {
        Lease lease = byTask.get(taskId);
        if (lease == null) {
            return false;
        }
        Run r = forget(lease);
        Traffic.tell(r.lease().node(), new Node.Cancel(Task.entityId(jobId, taskId), reason));
        return true;
    }

    private Run forget(Lease lease) {
        Run r = byLease.remove(lease);
        if (r != null) {
            byTask.remove(r.taskId());
            seenByTick.remove(lease);
            young.remove(lease);
            old.remove(lease);
        }
        return r;
    }

    /** Hands run {@code r} to its task's entity; {@code later}: reports still to come go there too. */
    private void adopt(Run r, boolean later) {
        if (later) {
            adopted.put(r.key(), r.taskId());
        }
        Traffic.tell(entity(r.taskId()), new Task.Adopt(r.execute(), r.lease(), r.startedAtMs()));
    }

    private RecipientRef<Task.Command> entity(String taskId) {
        return tasks.apply(Task.entityId(jobId, taskId));
    }
}
