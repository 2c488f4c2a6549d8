package dev.colony.actors.learner;

import java.util.Locale;
import java.util.Optional;

/**
 * The canary's verdict: compares the jobs the candidate placed during its trial with the
 * incumbent's jobs that ended over the same time, on each job's completion time over its work at
 * speed 1. Promotes when the candidate's mean is lower with the configured confidence (one-sided
 * Welch's t-test), rolls back when it is higher with that confidence, when its jobs fail more
 * often (two failures at least), or when it has had its most jobs without being shown better.
 */
final class Canary {

    /** What the trial came to. */
    record Verdict(boolean promote, PolicyRecord.Live live, String reason) {
    }

    private Canary() {
    }

    /** The verdict on {@code trial}, or empty while the evidence is not enough either way. */
    static Optional<Verdict> judge(LearnerState.Trial trial, LearnerSettings settings) {
        int canaryJobs = trial.canary().size() + trial.canaryFailed();
        int incumbentJobs = trial.incumbent().size() + trial.incumbentFailed();
        double canaryMean = Stats.mean(trial.canary());
        double incumbentMean = Stats.mean(trial.incumbent());
        boolean enough = trial.canary().size() >= settings.canaryMinJobs()
                && trial.incumbent().size() >= settings.canaryMinJobs();
        double p = enough ? Stats.pLower(trial.canary(), trial.incumbent()) : Double.NaN;
        var live = new PolicyRecord.Live(trial.canary().size(), canaryMean, trial.canaryFailed(),
                trial.incumbent().size(), incumbentMean, trial.incumbentFailed(), p);
        if (trial.canaryFailed() >= 2
                && (double) trial.canaryFailed() / canaryJobs > (double) trial.incumbentFailed() / Math.max(1, incumbentJobs)) {
            return Optional.of(new Verdict(false, live, trial.canaryFailed() + " of its " + canaryJobs
                    + " jobs failed, against " + trial.incumbentFailed() + " of the incumbent's " + incumbentJobs));
        }
        if (!enough) {
            return Optional.empty();
        }
        double alpha = 1 - settings.confidence();
        String compared = String.format(Locale.ROOT, "live slowdown %.3g over %d jobs vs the incumbent's %.3g over %d "
                + "(%+.1f%%)", canaryMean, trial.canary().size(), incumbentMean, trial.incumbent().size(),
                100 * (canaryMean / incumbentMean - 1));
        if (p < alpha) {
            return Optional.of(new Verdict(true, live, String.format(Locale.ROOT, "better: %s, p = %.2g < %.2g",
                    compared, p, alpha)));
        }
        if (1 - p < alpha) {
            return Optional.of(new Verdict(false, live, String.format(Locale.ROOT, "worse: %s, p = %.2g < %.2g",
                    compared, 1 - p, alpha)));
        }
        if (trial.canary().size() >= settings.canaryMaxJobs()) {
            return Optional.of(new Verdict(false, live, String.format(Locale.ROOT,
                    "not shown better within %d jobs: %s, p = %.2g", settings.canaryMaxJobs(), compared, p)));
        }
        return Optional.empty();
    }
}
