package dev.colony.actors.learner;

import dev.colony.actors.monitor.JobRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Estimates the runtime's dispatch overhead per task from a finished job: the time a task costs
 * beyond its queue wait and run time (its job releasing it, negotiating, taking the lease,
 * journalling the attempt, reporting back). It is the {@code d} for which the job's longest path,
 * each task weighing queue wait + run time + d, equals the measured completion time; 0 when the
 * path alone already takes that long.
 *
 * <p>The learner runs this for every job it records, on its own thread: the DAG is put in
 * topological order once (no recursion: a 2,000-task chain is a record it may get), and each of the
 * bisection's steps is one pass over arrays.
 */
public final class Dispatch {

    private static final int STEPS = 50;

    private final int[] order; // task indices, parents before children (tasks on a cycle left out)
    private final int[][] parents; // per task, the indices of its parents within the job
    private final double[] weight; // per task, queue wait + run time
    private final double[] end;

    private Dispatch(List<JobRecord.TaskRecord> tasks) {
        int n = tasks.size();
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(tasks.get(i).id(), i);
        }
        parents = new int[n][];
        weight = new double[n];
        int[] pending = new int[n];
        int[] childCount = new int[n];
        for (int i = 0; i < n; i++) {
            JobRecord.TaskRecord t = tasks.get(i);
            weight[i] = t.queueWaitMs() + t.runMs();
            parents[i] = t.parents().stream().map(index::get).filter(Objects::nonNull)
                    .mapToInt(Integer::intValue).toArray();
            pending[i] = parents[i].length;
            for (int p : parents[i]) {
                childCount[p]++;
            }
        }
        int[][] children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] = new int[childCount[i]];
            childCount[i] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int p : parents[i]) {
                children[p][childCount[p]++] = i;
            }
        }
        int[] sorted = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                sorted[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            for (int c : children[sorted[head]]) {
                if (--pending[c] == 0) {
                    sorted[tail++] = c;
                }
            }
        }
        order = Arrays.copyOf(sorted, tail);
        end = new double[n];
    }

    /** The overhead per task of {@code job}, in ms (0 for a job without tasks). */
    public static double overheadMs(JobRecord job) {
        if (job.tasks().isEmpty()) {
            return 0;
        }
        Dispatch graph = new Dispatch(job.tasks());
        double elapsed = job.elapsedMs();
        if (graph.longestPath(0) >= elapsed) {
            return 0;
        }
        double lo = 0;
        double hi = elapsed;
        for (int i = 0; i < STEPS; i++) {
            double mid = (lo + hi) / 2;
            if (graph.longestPath(mid) < elapsed) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The longest path through the tasks, each weighing wait + run + d. */
    private double longestPath(double d) {
        double longest = 0;
        for (int t : order) {
            double start = 0;
            for (int p : parents[t]) {
                start = Math.max(start, end[p]);
            }
            end[t] = start + weight[t] + d;
            longest = Math.max(longest, end[t]);
        }
        return longest;
    }
}
