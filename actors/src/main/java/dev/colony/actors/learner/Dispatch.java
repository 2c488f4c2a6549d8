package dev.colony.actors.learner;

import dev.colony.actors.monitor.JobRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Estimates the runtime's dispatch overhead per task from a finished job: the time a task costs
 * beyond its queue wait and run time (its job releasing it, negotiating, taking the lease,
 * journalling the attempt, reporting back). It is the {@code d} for which the job's longest path,
 * each task weighing queue wait + run time + d, equals the measured completion time; 0 when the
 * path alone already takes that long.
 */
public final class Dispatch {

    private Dispatch() {
    }

    /** The overhead per task of {@code job}, in ms (0 for a job without tasks). */
    public static double overheadMs(JobRecord job) {
        List<JobRecord.TaskRecord> tasks = job.tasks();
        if (tasks.isEmpty() || longestPath(tasks, 0) >= job.elapsedMs()) {
            return 0;
        }
        double lo = 0;
        double hi = job.elapsedMs();
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (longestPath(tasks, mid) < job.elapsedMs()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The longest path through the tasks, each weighing wait + run + d (parents need not come first). */
    private static double longestPath(List<JobRecord.TaskRecord> tasks, double d) {
        Map<String, JobRecord.TaskRecord> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        Map<String, Double> end = new HashMap<>();
        double longest = 0;
        for (JobRecord.TaskRecord t : tasks) {
            longest = Math.max(longest, end(t, d, byId, end));
        }
        return longest;
    }

    /** When {@code t} ends on the path; memoised (validated jobs have no cycles). */
    private static double end(JobRecord.TaskRecord t, double d, Map<String, JobRecord.TaskRecord> byId,
                              Map<String, Double> end) {
        Double known = end.get(t.id());
        if (known != null) {
            return known;
        }
        double start = 0;
        for (String p : t.parents()) {
            JobRecord.TaskRecord parent = byId.get(p);
            if (parent != null) {
                start = Math.max(start, end(parent, d, byId, end));
            }
        }
        double e = start + t.queueWaitMs() + t.runMs() + d;
        end.put(t.id(), e);
        return e;
    }
}
