package dev.colony.runtime.cli;

import dev.colony.actors.learner.LearnerState;
import dev.colony.actors.learner.PerformanceModel;
import dev.colony.actors.learner.PolicyRecord;
import dev.colony.actors.policy.Deployment;
import dev.colony.actors.policy.RunEstimates;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the learner's state for people. */
final class LearnerReport {

    private LearnerReport() {
    }

    /** Versions, deployment and search progress; {@code base} names version 0. */
    static void history(LearnerState s, String base, PrintStream out) {
        out.printf("v0  built-in %s%n", base);
        for (PolicyRecord r : s.history()) {
            out.printf(Locale.ROOT, "v%-3d %-11s %s%s%n", r.version(), r.status(), Instant.ofEpochMilli(r.startedAtMs()),
                    r.endedAtMs() > 0 ? " .. " + Instant.ofEpochMilli(r.endedAtMs()) : "");
            out.println("     genome:    " + r.genome().describe());
            if (!Double.isNaN(r.simulated())) {
                out.printf(Locale.ROOT, "     simulated: %.4g vs the incumbent's %.4g (%+.1f%%)%n", r.simulated(),
                        r.incumbentSimulated(), 100 * (r.simulated() / r.incumbentSimulated() - 1));
            }
            if (r.live() != null) {
                PolicyRecord.Live l = r.live();
                out.printf(Locale.ROOT, "     live:      slowdown %.3g over %d jobs (%d failed) vs the incumbent's %.3g "
                        + "over %d (%d failed), p(better) = %.2g%n", l.canaryMean(), l.canaryJobs(), l.canaryFailed(),
                        l.incumbentMean(), l.incumbentJobs(), l.incumbentFailed(), l.pBetter());
            }
            out.println("     why:       " + r.reason());
        }
        Deployment d = s.deployment();
        out.printf(Locale.ROOT, "deployed: v%d%s%n", d.incumbent(), d.hasCanary()
                ? String.format(Locale.ROOT, "; v%d on trial on %.0f%% of jobs", d.canary(), 100 * d.canarySlice()) : "");
        List<Double> p = s.progress();
        out.printf(Locale.ROOT, "generation %d; %d job(s) recorded since the last search%s%n", s.generation(),
                s.jobsSinceSearch(), p.isEmpty() ? "" : String.format(Locale.ROOT,
                        "; best simulated objective %.4g (generation %d) -> %.4g (generation %d)",
                        p.getFirst(), s.generation() - p.size() + 1, p.getLast(), s.generation()));
    }

    /** Run-time lines per kernel and node, and arrivals. */
    static void model(LearnerState s, PrintStream out) {
        PerformanceModel.State m = s.model();
        RunEstimates speedOne = PerformanceModel.of(m).estimates();
        out.printf("%-28s %8s  %s%n", "kernel@node", "weight", "run time (ms) over work size");
        m.byKernelNode().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.printf(Locale.ROOT, "%-28s %8.1f  %s%n", e.getKey(), e.getValue().weight(),
                        describe(e.getValue().fit())));
        speedOne.fits().forEach((kernel, f) -> out.printf(Locale.ROOT, "%-28s %8s  %s%n", kernel + " at speed 1", "",
                describe(f)));
        m.byPair().forEach((pair, t) -> out.printf(Locale.ROOT, "inputs %-22s %8.3g MB in %8.1f ms: %.3g MB/s%n", pair,
                t.bytes() / 1e6, t.ms(), t.bytesPerSecond() / 1e6));
        out.printf(Locale.ROOT, "dispatch overhead per task: %.1f ms; mean time between job arrivals: %.1f ms; %d recent "
                + "job(s) kept for replay%n", s.dispatchMs(), m.meanArrivalGapMs(), s.recent().size());
    }

    private static String describe(RunEstimates.Fit f) {
        return f.linear()
                ? String.format(Locale.ROOT, "%.4g + %.4g·(work - %.4g)", f.meanY(), f.slope(), f.meanX())
                : String.format(Locale.ROOT, "%.4g per %.4g work", f.meanY(), f.meanX());
    }
}
