package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import dev.colony.actors.node.HandedLease;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.task.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A batch of task reports sorted out against a job's state: the events it journals, the attempt
 * numbers to hand out once they are journalled (and the requests refused), the tasks that ended
 * (whose children may be released), producers to run again (their output lost), tasks to send
 * their work again, how many remain unfinished, and the first failure, after which the rest of the
 * batch is not read. A report about a task that is not in flight (a duplicate, one after the job
 * ended, one of an earlier run) counts for nothing.
 */
record ReportBatch(List<JobEvent> events, Map<ActorRef<Task.Command>, Task.AttemptReserved> reserved,
                   Map<ActorRef<Task.Command>, Task.AttemptReserved> refused, Set<String> reported, Set<String> rerun,
                   List<String> redeliver, List<HandedLease> leases, int unfinished, String failure) {

    /** Sorts out {@code items}; a producer is run again at most {@code maxReruns} times. */
    static ReportBatch of(JobState state, List<Job.Command> items, int maxReruns) {
        var b = new Builder(state);
        int unfinished = state.unfinished();
        String failure = null;
        for (Job.Command item : items) {
            if (item instanceof Job.TaskSucceeded m && m.lease() != null) {
                b.leases.add(m.lease()); // handed on whatever becomes of the report: the job hands it on, or back
            }
        }
        for (int i = 0; i < items.size() && failure == null; i++) {
            switch (items.get(i)) {
                case Job.AttemptRunning m when b.current(m.taskId(), m.reruns()) -> b.running(m);
                case Job.AttemptEnded m -> {
                    if (b.current(m.taskId(), m.reruns())) {
                        b.ended(m);
                    } else {
                        b.refuse(m.taskId(), m.reruns(), m.replyTo());
                    }
                }
                case Job.ReserveAttempt m -> {
                    if (b.current(m.taskId(), m.reruns())) {
                        b.reserve(m.taskId(), m.reruns(), m.replyTo());
                    } else {
                        b.refuse(m.taskId(), m.reruns(), m.replyTo());
                    }
                }
                case Job.TaskSucceeded m when b.current(m.taskId(), m.summary().reruns()) && b.reported.add(m.taskId()) -> {
                    b.outcome(m.taskId(), new JobEvent.TaskSucceeded(m.taskId(), m.attempt(), m.output(), m.summary()));
                    unfinished--;
                }
                case Job.TaskFailed m when b.current(m.taskId(), m.summary().reruns()) && b.reported.add(m.taskId()) -> {
                    b.outcome(m.taskId(), new JobEvent.TaskFailed(m.taskId(), m.summary()));
                    failure = "task '" + m.taskId() + "' " + m.reason();
                }
                case Job.InputsLost m when b.current(m.taskId(), m.reruns()) && b.reported.add(m.taskId()) -> {
                    List<String> again = new ArrayList<>();
                    for (var lost : m.lost().entrySet()) {
                        String p = lost.getKey();
                        if (holds(state, p, lost.getValue()) && b.rerun.add(p)) {
                            int reruns = state.tasks().get(p).reruns();
                            if (reruns >= maxReruns) {
                                failure = "task '" + p + "' lost its output " + (reruns + 1) + " times (at most "
                                        + maxReruns + " reruns, colony.jobs.max-output-reruns); last: " + m.reason();
                                break;
                            }
                            again.add(p);
                            unfinished++;
                        }
                    }
                    b.events.add(new JobEvent.OutputsLost(m.taskId(), again, m.reason()));
                    b.redeliver.add(m.taskId()); // at once if its inputs are there again (the report was late)
                }
                case Job.Redeliver m when state.inFlight(m.taskId()) -> b.redeliver.add(m.taskId());
                default -> {
                    // not in flight, of an earlier run, or already reported in this batch
                }
            }
        }
        List<JobEvent> events = b.events.stream().filter(Objects::nonNull).toList();
        return new ReportBatch(events, b.reserved, b.refused, b.reported, b.rerun, b.redeliver, b.leases, unfinished,
                failure);
    }

    /** What a batch collects while it is sorted out. */
    private static final class Builder {
        final JobState state;
        final List<JobEvent> events = new ArrayList<>(); // null: left out
        final Map<ActorRef<Task.Command>, Task.AttemptReserved> reserved = new LinkedHashMap<>();
        final Map<ActorRef<Task.Command>, Task.AttemptReserved> refused = new LinkedHashMap<>();
        final Set<String> reported = new LinkedHashSet<>();
        final Set<String> rerun = new LinkedHashSet<>();
        final List<String> redeliver = new ArrayList<>();
        final List<HandedLease> leases = new ArrayList<>();
        final Map<String, Integer> numbers = new HashMap<>(); // attempt numbers handed out by this batch
        final Map<String, Integer> startedAt = new HashMap<>(); // task → index of its AttemptStarted in events
        final Map<String, Boolean> running = new HashMap<>(); // whether the task runs, as of this batch

        Builder(JobState state) {
            this.state = state;
        }

        /** Whether a report about run {@code reruns} of task {@code taskId} is about the run in flight. */
        boolean current(String taskId, int reruns) {
            return ReportBatch.current(state, taskId, reruns) && !reported.contains(taskId);
        }

        int number(String taskId) {
            return numbers.getOrDefault(taskId, state.lastAttempt(taskId));
        }

        boolean runs(String taskId) {
            return running.getOrDefault(taskId, state.tasks().get(taskId).state() == TaskSummary.TaskState.RUNNING);
        }

        /** An attempt under the number handed out last runs (a report about an older one is stale). */
        void running(Job.AttemptRunning m) {
            if (m.attempt() == number(m.taskId()) && !runs(m.taskId())) {
                startedAt.put(m.taskId(), events.size());
                events.add(new JobEvent.AttemptStarted(m.taskId(), m.attempt(), m.node(), m.queueWaitMs(), m.policy(),
                        m.atMs()));
                running.put(m.taskId(), true);
            }
        }

        /** The attempt ended (a report sent again ends nothing): the task gets its next number. */
        void ended(Job.AttemptEnded m) {
            if (m.attempt() == number(m.taskId())) {
                events.add(new JobEvent.AttemptEnded(m.taskId(), m.attempt(), m.node(), m.reason(), m.runMs(),
                        m.counts()));
                running.put(m.taskId(), false);
            }
            reserve(m.taskId(), m.reruns(), m.replyTo());
        }

        /** Hands task {@code taskId} its next attempt number, told to {@code to} once journalled. */
        void reserve(String taskId, int reruns, ActorRef<Task.Command> to) {
            int next = number(taskId) + 1;
            numbers.put(taskId, next);
            running.put(taskId, false); // a running attempt the journal knows of was interrupted
            events.add(new JobEvent.AttemptReserved(taskId, next));
            reserved.put(to, new Task.AttemptReserved(reruns, next, null));
        }

        void refuse(String taskId, int reruns, ActorRef<Task.Command> to) {
            refused.put(to, new Task.AttemptReserved(reruns, 0, "job '" + state.spec().id() + "' no longer waits for "
                    + "run " + reruns + " of task '" + taskId + "' (" + (state.finished() ? "the job has ended"
                    : "it ended, or runs again") + ")"));
        }

        /** The task's outcome; its AttemptStarted in this batch is left out (the outcome's summary says it all). */
        void outcome(String taskId, JobEvent event) {
            Integer at = startedAt.remove(taskId);
            if (at != null) {
                events.set(at, null);
            }
            events.add(event);
        }
    }

    /** Tasks to send their work fresh after the batch's events gave {@code s}: released children, producers run again. */
    Set<String> released(JobState s) {
        Set<String> released = new LinkedHashSet<>();
        for (String id : reported) {
            for (String child : s.children(id)) {
                if (s.tasks().get(child).state() == TaskSummary.TaskState.RELEASED) {
                    released.add(child);
                }
            }
        }
        for (String p : rerun) {
            if (s.inFlight(p) && s.tasks().get(p).state() == TaskSummary.TaskState.RELEASED) {
                released.add(p);
            }
        }
        return released;
    }

    /** Tasks to send their work again (not fresh) after the batch's events gave {@code s}. */
    List<String> again(JobState s) {
        Set<String> fresh = released(s);
        return redeliver.stream().filter(id -> s.inFlight(id) && !fresh.contains(id)).distinct().toList();
    }

    /** Whether a report about run {@code reruns} of task {@code taskId} is about the run in flight. */
    private static boolean current(JobState state, String taskId, int reruns) {
        return state.inFlight(taskId) && reruns == state.tasks().get(taskId).reruns();
    }

    /** Whether producer {@code p} succeeded and its recorded output is the one under {@code key}. */
    private static boolean holds(JobState state, String p, String key) {
        TaskSummary s = state.tasks().get(p);
        TaskOutput out = state.outputs().get(p);
        return s != null && s.state() == TaskSummary.TaskState.SUCCEEDED && out != null && out.isStored()
                && out.ref().key().equals(key);
    }
}
