package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.colony.actors.Traffic;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.node.Node;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * A job's side of its tasks: sending a task its work ({@code Execute}) while at most a window of
 * them is out (negotiating or running; the rest are held, in release order), running a held task
 * that fits a lease a node handed on after a task succeeded itself ({@link DirectRuns}), sending
 * every task that is out its work again every {@code colony.jobs.redeliver-every} while the job
 * runs, and cancelling them when it fails. Not journalled: after a restart every unfinished task is
 * held again. Used on the job entity's thread only.
 */
final class JobTasks {

    private final String jobId;
    private final Function<String, RecipientRef<Task.Command>> tasks;
    private final TimerScheduler<Job.Command> timers;
    private final Job.Command tick;
    private final Duration every;
    private final IntSupplier window;
    private final DirectRuns direct;
    private final Map<String, Boolean> held = new LinkedHashMap<>(); // released, not sent yet → whether fresh
    private final Set<String> out = new HashSet<>(); // sent, and not ended
    private JobState state = JobState.EMPTY; // the latest the job has journalled
    private String policy = "lease-reuse"; // the job's placement policy, as its tasks' reports name it

    /**
     * The tasks of job {@code jobId}; {@code tick} comes back through {@code timers} every
     * {@code every}; at most {@code window} tasks are out at once; {@code direct} runs held tasks
     * under leases handed on.
     */
    JobTasks(String jobId, Function<String, RecipientRef<Task.Command>> tasks, TimerScheduler<Job.Command> timers,
             Job.Command tick, Duration every, IntSupplier window, DirectRuns direct) {
        this.jobId = jobId;
        this.tasks = tasks;
        this.timers = timers;
        this.tick = tick;
        this.every = every;
        this.window = window;
        this.direct = direct;
    }

    /**
     * Task {@code taskId} is to get its work: {@code fresh} right after the event that released it
     * (with the attempt number that reserved), not when found unfinished after a restart. A task
     * that is out gets it at once; others wait for {@link #dispatch}.
     */
    void release(JobState state, String taskId, boolean fresh) {
        if (out.contains(taskId)) {
            if (!direct.runs(taskId)) { // else the job runs it, and hands it to its entity if need be
                send(state, taskId, fresh);
            }
        } else {
            held.merge(taskId, fresh, Boolean::logicalOr);
        }
    }

    /** Holds every unfinished task again (the job recovered): none is known to be out. */
    void releaseInFlight(JobState state) {
        out.clear();
        state.inFlightTasks().forEach(id -> release(state, id, false));
    }

    /** The job's journalled state is {@code state}. */
    void seen(JobState state) {
        this.state = state;
    }

    /**
     * A report as it arrives, before it waits for its batch to be written ({@code batch} takes what
     * is batched instead): a node's report on a run of the job's own becomes the task's (or nothing:
     * {@link DirectRuns#reported}); a success whose node handed its lease on gives the lease at once
     * to a held task that fits it (released by events already journalled, so nothing this batch
     * writes is needed), and is batched without it. The Runs this sends go out together per node.
     */
    void onArrival(Job.Command report, Consumer<Job.Command> batch) {
        if (report instanceof Job.NodeReported r && r.reply() instanceof NodeReply.Successes all) {
            all.reports().forEach(s -> arrived(direct.reported(s), batch));
        } else if (report instanceof Job.NodeReported r) {
            arrived(direct.reported(r.reply()), batch);
        } else {
            arrived(report, batch);
        }
        direct.flush();
    }

    private void arrived(Job.Command report, Consumer<Job.Command> batch) {
        if (!(report instanceof Job.TaskSucceeded m)) {
            if (report != null) {
                batch.accept(report);
            }
            return;
        }
        if (m.summary().policy() != null) {
            policy = m.summary().policy();
        }
        String id = m.lease() == null || state.phase() != JobStatus.Phase.RUNNING ? null : fitting(state, m.lease());
        if (id == null) {
            batch.accept(report); // the batch may release a task that fits, or gives the lease back
            return;
        }
        runDirect(state, id, m.lease());
        batch.accept(new Job.TaskSucceeded(m.taskId(), m.attempt(), m.output(), m.summary()));
    }

    /**
     * After {@code state} was journalled with {@code written} (null: not known): forgets out tasks
     * that ended, hands {@code leases} to held tasks that fit them (giving back the rest), then
     * sends held tasks their work while the window has room.
     */
    void dispatch(JobState state, List<HandedLease> leases, List<JobEvent> written) {
        this.state = state;
        forgetEnded(state, written);
        for (HandedLease lease : leases) {
            String id = fitting(state, lease);
            if (id == null) {
                lease.release();
            } else {
                runDirect(state, id, lease);
            }
        }
        direct.flush();
        int room = window.getAsInt() - out.size();
        for (Iterator<Map.Entry<String, Boolean>> it = held.entrySet().iterator(); it.hasNext() && room > 0; ) {
            var e = it.next();
            it.remove();
            if (state.inFlight(e.getKey())) { // else it ended while held: an incarnation from before a restart reported
                out.add(e.getKey());
                send(state, e.getKey(), e.getValue());
                room--;
            }
        }
    }

    /**
     * Drops the out tasks that {@code written} ended (a success or a final failure), looking at each
     * out task only when not known (null) or when inputs were lost (their readers wait again): a pass
     * over the whole window per batch took 4 % of the CPU under tiny tasks. Held tasks that ended
     * are dropped as they are met: a pass over every held task per batch made a million-task job
     * crawl (100 tasks/s).
     */
    private void forgetEnded(JobState state, List<JobEvent> written) {
        if (written == null || written.stream().anyMatch(e -> e instanceof JobEvent.OutputsLost)) {
            out.removeIf(id -> !state.inFlight(id));
            return;
        }
        for (JobEvent e : written) {
            switch (e) {
                case JobEvent.TaskSucceeded t -> out.remove(t.taskId());
                case JobEvent.TaskFailed t -> out.remove(t.taskId());
                default -> { }
            }
        }
    }

    /**
     * The first held task sent fresh (it holds an attempt number) whose request fits in {@code lease}
     * (and with a timeout: a spec is validated before it reaches its job, which sets one);
     * drops held tasks that ended on the way.
     */
    private String fitting(JobState state, HandedLease lease) {
        for (Iterator<Map.Entry<String, Boolean>> it = held.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!state.inFlight(e.getKey())) {
                it.remove();
                continue;
            }
            TaskSpec spec = state.task(e.getKey());
            ResourceRequest wants = spec.resources();
            if (e.getValue() && wants != null && spec.timeoutMs() != null && wants.fitsIn(lease.resources())) {
                return e.getKey();
            }
        }
        return null;
    }

    private void send(JobState state, String taskId, boolean fresh) {
        Traffic.tell(tasks.apply(Task.entityId(jobId, taskId)), state.execute(taskId, fresh));
    }

    /** Held task {@code taskId} runs under {@code lease}, sent by the job itself. */
    private void runDirect(JobState state, String taskId, HandedLease lease) {
        held.remove(taskId);
        out.add(taskId);
        direct.run(state.execute(taskId, true), lease, policy);
    }

    /** Journals the job's own runs that are still out as running ({@link DirectRuns#check}). */
    void checkRuns() {
        direct.check();
    }

    /** Node {@code node}, which runs tasks of the job's own, is gone. */
    void nodeGone(ActorRef<Node.Command> node) {
        direct.nodeGone(node);
    }

    /** Gives back leases handed on to a job that has ended. */
    static void giveBack(List<HandedLease> leases) {
        leases.forEach(HandedLease::release);
    }

    /** From now on, the tick comes every {@code every}. */
    void redeliverPeriodically() {
        timers.startTimerWithFixedDelay(tick, every);
    }

    void stopRedelivering() {
        timers.cancel(tick);
    }

    /**
     * The tick: sends every task that is out its work again, but for those the job runs itself
     * (which go to their entities once out at two ticks in a row). A live task ignores it; a task
     * whose entity was lost with a cluster member starts again from what the job journalled, and a
     * finished one whose report was lost reports again.
     */
    void onTick(JobState state) {
        if (state.phase() != JobStatus.Phase.RUNNING) {
            stopRedelivering();
            return;
        }
        out.removeIf(id -> !state.inFlight(id));
        direct.tick(state);
        for (String id : out) {
            if (!direct.runs(id)) {
                send(state, id, false);
            }
        }
    }

    /**
     * Withdraws those of {@code taskIds} that are out: the job failed. Held ones were never sent (a
     * million-task job starts no million entities to stop them).
     */
    void cancel(List<String> taskIds) {
        held.clear();
        for (String id : taskIds) {
            if (out.remove(id) && !direct.cancel(id, "job '" + jobId + "' failed")) {
                Traffic.tell(tasks.apply(Task.entityId(jobId, id)), new Task.CancelTask("job '" + jobId + "' failed"));
            }
        }
        out.clear();
    }
}
