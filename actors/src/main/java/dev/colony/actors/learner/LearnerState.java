package dev.colony.actors.learner;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.monitor.Feedback.AttemptRecord;
import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.policy.Deployment;
import dev.colony.actors.policy.RunEstimates;
import java.util.ArrayList;
import java.util.List;

/**
 * The learner's durable state: immutable, changed only by {@link #apply}, and what its snapshots
 * hold.
 *
 * @param model           the performance model
 * @param recent          the latest succeeded jobs, oldest first, at most the window and at most
 *                        max-replay-tasks tasks in all (the latest job always): what a search replays
 * @param jobsSinceSearch succeeded jobs recorded since the last search
 * @param generation      generations searched in all
 * @param progress        best simulated objective of the latest generations (at most
 *                        {@value #PROGRESS_KEPT}), oldest first
 * @param deployment      the deployed policies
 * @param latestVersion   the highest version handed out
 * @param history         evolved versions, oldest first (at most {@value #HISTORY_KEPT})
 * @param trial           the live comparison of the canary on trial (empty without one)
 * @param dispatchMs      the runtime's overhead per task beyond queue wait and run time: a mean over
 *                        succeeded jobs, each weighing 1 - {@value #DISPATCH_DECAY} ({@link Dispatch})
 */
public record LearnerState(PerformanceModel.State model, List<JobRecord> recent, int jobsSinceSearch, long generation,
                           List<Double> progress, Deployment deployment, long latestVersion,
                           List<PolicyRecord> history, Trial trial, double dispatchMs) implements CborSerializable {

    static final int PROGRESS_KEPT = 1000;
    static final int HISTORY_KEPT = 200;
    static final double DISPATCH_DECAY = 0.9;

    /** Copies the lists. */
    public LearnerState {
        recent = List.copyOf(recent);
        progress = List.copyOf(progress);
        history = List.copyOf(history);
    }

    /**
     * Jobs that ended during a trial, by the policy that placed them: each succeeded job's
     * completion time over its work at speed 1, and the count of failed ones.
     */
    public record Trial(List<Double> canary, List<Double> incumbent, int canaryFailed, int incumbentFailed)
            implements CborSerializable {

        static final Trial EMPTY = new Trial(List.of(), List.of(), 0, 0);

        /** Copies the lists. */
        public Trial {
            canary = List.copyOf(canary);
            incumbent = List.copyOf(incumbent);
        }
    }

    /** The state of a learner that has learned nothing. */
    public static LearnerState initial(double decay) {
        return new LearnerState(new PerformanceModel(decay).state(), List.of(), 0, 0, List.of(), Deployment.INITIAL, 0,
                List.of(), Trial.EMPTY, 0);
    }

    /** The state after {@code event}, keeping {@code window} recent jobs; pure. */
    public LearnerState apply(LearnerEvent event, int window) {
        return apply(event, window, Integer.MAX_VALUE);
    }

    /**
     * The state after {@code event}, keeping the latest of {@code window} recent jobs that hold at
     * most {@code maxTasks} tasks in all (the latest one always): what a search replays, and no
     * more, so snapshots stay small; pure.
     */
    public LearnerState apply(LearnerEvent event, int window, int maxTasks) {
        return switch (event) {
            case LearnerEvent.FeedbackApplied e -> learn(e, window, maxTasks);
            case LearnerEvent.Searched e -> new LearnerState(model, recent, 0,
                    generation + e.bestPerGeneration().size(), last(concat(progress, e.bestPerGeneration()),
                    PROGRESS_KEPT), deployment, latestVersion, history, trial, dispatchMs);
            case LearnerEvent.CanaryStarted e -> new LearnerState(model, recent, jobsSinceSearch, generation, progress,
                    deployment.withCanary(e.version(), e.genome(), e.slice()), Math.max(latestVersion, e.version()),
                    last(concat(history, List.of(new PolicyRecord(e.version(), e.genome(), "on trial", e.simulated(),
                            e.incumbentSimulated(), null, e.reason(), e.atMs(), 0))), HISTORY_KEPT), Trial.EMPTY,
                    dispatchMs);
            case LearnerEvent.CanaryEnded e -> new LearnerState(model, recent, jobsSinceSearch, generation, progress,
                    e.promoted() ? deployment.promoted() : deployment.rolledBack(), latestVersion,
                    history.stream().map(r -> r.version() == e.version() ? r.ended(e.promoted() ? "promoted"
                            : "rolled back", e.live(), e.reason(), e.atMs()) : r).toList(), Trial.EMPTY, dispatchMs);
        };
    }

    private LearnerState learn(LearnerEvent.FeedbackApplied e, int window, int maxTasks) {
        PerformanceModel m = PerformanceModel.of(model);
        for (AttemptRecord a : e.feedback().attempts()) {
            m.observe(a);
        }
        RunEstimates estimates = m.estimates();
        List<JobRecord> kept = new ArrayList<>(recent);
        int added = 0;
        List<Double> canary = new ArrayList<>(trial.canary());
        List<Double> incumbent = new ArrayList<>(trial.incumbent());
        int canaryFailed = trial.canaryFailed();
        int incumbentFailed = trial.incumbentFailed();
        double dispatch = dispatchMs;
        for (JobRecord j : e.feedback().jobs()) {
            m.jobArrived(j.acceptedAtMs());
            if (j.succeeded()) {
                kept.add(j);
                added++;
                dispatch = dispatch == 0 ? Dispatch.overheadMs(j)
                        : DISPATCH_DECAY * dispatch + (1 - DISPATCH_DECAY) * Dispatch.overheadMs(j);
            }
            if (deployment.hasCanary() && j.policyVersion() == deployment.canary()) {
                canaryFailed += j.succeeded() ? 0 : 1;
                addIf(j.succeeded(), canary, slowdown(j, estimates));
            } else if (deployment.hasCanary() && j.policyVersion() == deployment.incumbent()) {
                incumbentFailed += j.succeeded() ? 0 : 1;
                addIf(j.succeeded(), incumbent, slowdown(j, estimates));
            }
        }
        Trial t = new Trial(canary, incumbent, canaryFailed, incumbentFailed);
        return new LearnerState(m.state(), latest(last(kept, window), maxTasks), jobsSinceSearch + added, generation,
                progress, deployment, latestVersion, history, t, dispatch);
    }

    /** A job's completion time over its work at speed 1 (its raw completion time while nothing is known). */
    static double slowdown(JobRecord j, RunEstimates estimates) {
        double work = 0;
        for (JobRecord.TaskRecord t : j.tasks()) {
            work += estimates.expectedRunMs(t.kernel(), t.workSize());
        }
        return work > 0 ? j.elapsedMs() / work : j.elapsedMs();
    }

    private static void addIf(boolean add, List<Double> to, double value) {
        if (add) {
            to.add(value);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The latest of {@code jobs} that hold at most {@code maxTasks} tasks in all; the latest one always. */
    static List<JobRecord> latest(List<JobRecord> jobs, int maxTasks) {
        int from = jobs.size();
        long tasks = 0;
        while (from > 0 && (from == jobs.size() || tasks + jobs.get(from - 1).tasks().size() <= maxTasks)) {
            tasks += jobs.get(--from).tasks().size();
        }
        return from == 0 ? jobs : jobs.subList(from, jobs.size());
    }

    private static <T> List<T> last(List<T> list, int n) {
        return list.size() <= n ? list : list.subList(list.size() - n, list.size());
    }
}
