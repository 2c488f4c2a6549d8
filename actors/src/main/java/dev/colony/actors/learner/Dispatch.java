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

    /** The longest path through the tasks (listed parents first), each weighing wait + run + d. */
    private static double longestPath(List<JobRecord.TaskRecord> tasks, double d) {
        Map<String, Double> end = new HashMap<>();
        double longest = 0;
        for (JobRecord.TaskRecord t : ordered(tasks)) {
            double start = 0;
            for (String p : t.parents()) {
                start = Math.max(start, end.getOrDefault(p, 0.0));
            }
            double e = start + t.queueWaitMs() + t.runMs() + d;
            end.put(t.id(), e);
            longest = Math.max(longest, e);
        }
        return longest;
    }

    /** The tasks with every parent before its children (a job's spec may list them in any order). */
    private static List<JobRecord.TaskRecord> ordered(List<JobRecord.TaskRecord> tasks) {
        Map<String, JobRecord.TaskRecord> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        java.util.LinkedHashMap<String, JobRecord.TaskRecord> out = new java.util.LinkedHashMap<>();
        java.util.ArrayDeque<JobRecord.TaskRecord> stack = new java.util.ArrayDeque<>();
        for (JobRecord.TaskRecord t : tasks) {
            visit(t, byId, out, stack);
        }
        return List.copyOf(out.values());
    }

    private static void visit(JobRecord.TaskRecord t, Map<String, JobRecord.TaskRecord> byId,
                              Map<String, JobRecord.TaskRecord> out, java.util.ArrayDeque<JobRecord.TaskRecord> path) {
        if (out.containsKey(t.id()) || path.contains(t)) {
            return; // done, or a cycle (validated jobs have none)
        }
        path.push(t);
        for (String p : t.parents()) {
            JobRecord.TaskRecord parent = byId.get(p);
            if (parent != null) {
                visit(parent, byId, out, path);
            }
        }
        path.pop();
        out.put(t.id(), t);
    }
}
