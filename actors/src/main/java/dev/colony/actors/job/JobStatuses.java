package dev.colony.actors.job;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forms of a job's {@link JobStatus} a client asks for, read from its {@link JobState}: whole
 * (every task), small (how many tasks are in each state) or one page of its tasks.
 */
final class JobStatuses {

    private JobStatuses() {
    }

    /** The full form: every task's summary. */
    static JobStatus whole(String jobId, JobState s) {
        return new JobStatus(jobId, s.phase(), s.reason(), new LinkedHashMap<>(s.tasks()), s.acceptedAtMs(),
                s.finishedAtMs());
    }

    /** The small form of the status: how many tasks are in each state. */
    static JobStatus progress(String jobId, JobState s) {
        return new JobStatus(jobId, s.phase(), s.reason(), Map.of(), s.acceptedAtMs(), s.finishedAtMs(), counts(s));
    }

    /**
     * Page {@code number} of {@code size} of the tasks in {@code state} (null: all), in spec order;
     * page 0 with the counts of every state (a pass over every task), later ones without.
     */
    static JobStatus page(String jobId, JobState s, TaskSummary.TaskState state, int number, int size) {
        Map<String, TaskSummary> tasks = s.tasks();
        Map<String, TaskSummary> page = new LinkedHashMap<>();
        List<TaskSpec> all = s.spec() == null ? List.of() : s.spec().tasks();
        long skip = (long) number * size;
        long matching = 0;
        if (state == null) {
            matching = all.size();
            for (long i = skip; i < Math.min(all.size(), skip + size); i++) {
                String id = all.get((int) i).id();
                page.put(id, tasks.get(id));
            }
        } else {
            for (TaskSpec t : all) {
                TaskSummary summary = tasks.get(t.id());
                if (summary.state() == state && matching++ >= skip && page.size() < size) {
                    page.put(t.id(), summary);
                }
            }
        }
        return new JobStatus(jobId, s.phase(), s.reason(), page, s.acceptedAtMs(), s.finishedAtMs(),
                number == 0 ? counts(s) : null, new JobStatus.Page(state, number, size, matching));
    }

    private static Map<TaskSummary.TaskState, Long> counts(JobState s) {
        long[] n = new long[TaskSummary.TaskState.values().length];
        for (TaskSummary t : s.tasks().values()) {
            n[t.state().ordinal()]++;
        }
        Map<TaskSummary.TaskState, Long> counts = new EnumMap<>(TaskSummary.TaskState.class);
        for (TaskSummary.TaskState state : TaskSummary.TaskState.values()) {
            counts.put(state, n[state.ordinal()]);
        }
        return counts;
    }
}
