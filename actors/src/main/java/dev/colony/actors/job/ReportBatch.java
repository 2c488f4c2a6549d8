package dev.colony.actors.job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch of task reports sorted out against a job's state: the events it journals, the tasks
 * that ended (whose children may be released), the tasks to send their work again, how many
 * remain unfinished, and the first failure, after which the rest of the batch is not read. A
 * report about a task that is not in flight (a duplicate, one after the job ended) counts for
 * nothing.
 */
record ReportBatch(List<JobEvent> events, Set<String> reported, List<String> redeliver, int unfinished,
                   String failure) {

    /** Sorts out {@code items}, keeping {@code running} (where tasks run now) up to date. */
    static ReportBatch of(JobState state, List<Job.Command> items, Map<String, TaskSummary> running) {
        List<JobEvent> events = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        List<String> redeliver = new ArrayList<>();
        int unfinished = state.unfinished();
        String failure = null;
        for (int i = 0; i < items.size() && failure == null; i++) {
            switch (items.get(i)) {
                case Job.TaskRunning m when state.inFlight(m.taskId()) && !reported.contains(m.taskId()) ->
                        running.put(m.taskId(), m.summary());
                case Job.TaskSucceeded m when state.inFlight(m.taskId()) && reported.add(m.taskId()) -> {
                    events.add(new JobEvent.TaskSucceeded(m.taskId(), m.attempt(), m.output(), m.summary()));
                    running.remove(m.taskId());
                    unfinished--;
                }
                case Job.TaskFailed m when state.inFlight(m.taskId()) && reported.add(m.taskId()) -> {
                    events.add(new JobEvent.TaskFailed(m.taskId(), m.summary()));
                    failure = "task '" + m.taskId() + "' " + m.reason();
                }
                case Job.Redeliver m when state.inFlight(m.taskId()) -> redeliver.add(m.taskId());
                default -> {
                    // not in flight, or already reported in this batch
                }
            }
        }
        return new ReportBatch(events, reported, redeliver, unfinished, failure);
    }
}
