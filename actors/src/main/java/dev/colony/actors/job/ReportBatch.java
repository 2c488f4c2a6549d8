package dev.colony.actors.job;

import dev.colony.actors.output.TaskOutput;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch of task reports sorted out against a job's state: the events it journals, the tasks
 * that ended (whose children may be released), the tasks to send their work again (and producers
 * to run again, their output lost), how many remain unfinished, and the first failure, after which
 * the rest of the batch is not read. A report about a task that is not in flight (a duplicate, one
 * after the job ended, one of an earlier run) counts for nothing.
 */
record ReportBatch(List<JobEvent> events, Set<String> reported, List<String> redeliver, int unfinished,
                   String failure) {

    /**
     * Sorts out {@code items}, keeping {@code running} (where tasks run now) up to date; a producer
     * is run again at most {@code maxReruns} times.
     */
    static ReportBatch of(JobState state, List<Job.Command> items, Map<String, TaskSummary> running, int maxReruns) {
        List<JobEvent> events = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        List<String> redeliver = new ArrayList<>();
        Set<String> rerun = new LinkedHashSet<>();
        int unfinished = state.unfinished();
        String failure = null;
        for (int i = 0; i < items.size() && failure == null; i++) {
            switch (items.get(i)) {
                case Job.TaskRunning m when current(state, m.taskId(), m.summary().reruns()) && !reported.contains(m.taskId()) ->
                        running.put(m.taskId(), m.summary());
                case Job.TaskSucceeded m when current(state, m.taskId(), m.summary().reruns()) && reported.add(m.taskId()) -> {
                    events.add(new JobEvent.TaskSucceeded(m.taskId(), m.attempt(), m.output(), m.summary()));
                    running.remove(m.taskId());
                    unfinished--;
                }
                case Job.TaskFailed m when current(state, m.taskId(), m.summary().reruns()) && reported.add(m.taskId()) -> {
                    events.add(new JobEvent.TaskFailed(m.taskId(), m.summary()));
                    failure = "task '" + m.taskId() + "' " + m.reason();
                }
                case Job.InputsLost m when current(state, m.taskId(), m.reruns()) && reported.add(m.taskId()) -> {
                    List<String> again = new ArrayList<>();
                    for (var lost : m.lost().entrySet()) {
                        String p = lost.getKey();
                        if (holds(state, p, lost.getValue()) && rerun.add(p)) {
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
                    events.add(new JobEvent.OutputsLost(m.taskId(), again, m.reason()));
                    running.remove(m.taskId());
                    redeliver.addAll(again);
                    redeliver.add(m.taskId()); // at once if its inputs are there again (the report was late)
                }
                case Job.Redeliver m when state.inFlight(m.taskId()) -> redeliver.add(m.taskId());
                default -> {
                    // not in flight, of an earlier run, or already reported in this batch
                }
            }
        }
        return new ReportBatch(events, reported, redeliver, unfinished, failure);
    }

    /** The tasks to send their work after the batch's events gave {@code s}: released children, then redeliveries. */
    Set<String> toRelease(JobState s) {
        Set<String> released = new LinkedHashSet<>();
        for (String id : reported) {
            for (String child : s.children(id)) {
                if (s.tasks().get(child).state() == TaskSummary.TaskState.RELEASED) {
                    released.add(child);
                }
            }
        }
        for (String id : redeliver) {
            if (s.inFlight(id)) {
                released.add(id);
            }
        }
        return released;
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
