package dev.colony.actors.learner;

import java.time.Duration;

/**
 * How the learner learns; read from {@code colony.learner.*} (each key documented in the runtime's
 * {@code reference.conf}). The constructor rejects values out of range, naming the key.
 *
 * @param enabled         whether the runtime runs a learner at all
 * @param population      genomes per generation of the genetic search, at least 2
 * @param generations     generations per search, at least 1
 * @param threads         threads evaluating fitness during a search, at least 1
 * @param seed            seed of searches and simulations (each search adds its first generation)
 * @param evolveAfterJobs recorded jobs between two searches, at least 1
 * @param window          most recent jobs a search replays, at least 1
 * @param objective       what a search minimises
 * @param minImprovement  a candidate must beat the incumbent's simulated objective by this share
 *                        to go on trial, in [0, 1)
 * @param canarySlice     share of jobs the candidate gets while on trial, in (0, 1]
 * @param canaryMinJobs   jobs of each policy before the canary is judged, at least 2
 * @param canaryMaxJobs   canary jobs after which a candidate not shown better is rejected, at
 *                        least canaryMinJobs
 * @param confidence      confidence needed to promote or roll back, in [0.5, 1)
 * @param decay           how fast the performance model forgets, in (0, 1]
 * @param snapshotEvery   learner events between snapshots, at least 1
 * @param publishEvery    how often changed run-time estimates are published to schedulers
 * @param maxJobTasks     jobs with more tasks are not recorded (their records would be too large
 *                        to travel and too slow to replay), at least 1
 * @param maxReplayTasks  most tasks a search replays: the most recent jobs of the window up to
 *                        that many tasks in all (always the latest job), at least 1
 * @param searchShare     where searchNice is 0 or cannot be set, most of one core's time a search
 *                        takes while it runs, in (0, 1]: after each candidate replayed in CPU time
 *                        T it rests T × (1 − share) / share
 * @param searchNice      the search threads' nice value, 0..19 (Linux): 19 runs them only on CPU
 *                        the tasks leave idle; 0: the tasks' priority
 */
public record LearnerSettings(boolean enabled, int population, int generations, int threads, long seed,
                              int evolveAfterJobs, int window, Objective objective, double minImprovement,
                              double canarySlice, int canaryMinJobs, int canaryMaxJobs, double confidence,
                              double decay, int snapshotEvery, Duration publishEvery, int maxJobTasks,
                              int maxReplayTasks, double searchShare, int searchNice) {

    /** Checks ranges, naming the key. */
    public LearnerSettings {
        atLeast("population", population, 2);
        atLeast("generations", generations, 1);
        atLeast("threads", threads, 1);
        atLeast("evolve-after-jobs", evolveAfterJobs, 1);
        atLeast("window", window, 1);
        atLeast("canary.min-jobs", canaryMinJobs, 2);
        atLeast("canary.max-jobs", canaryMaxJobs, canaryMinJobs);
        atLeast("snapshot-every", snapshotEvery, 1);
        atLeast("max-job-tasks", maxJobTasks, 1);
        atLeast("max-replay-tasks", maxReplayTasks, 1);
        if (!(canarySlice > 0 && canarySlice <= 1)) {
            throw new IllegalArgumentException("colony.learner.canary.slice = " + canarySlice + " must lie in (0, 1]");
        }
        if (!(minImprovement >= 0 && minImprovement < 1)) {
            throw new IllegalArgumentException("colony.learner.min-improvement = " + minImprovement
                    + " must lie in [0, 1)");
        }
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("colony.learner.canary.confidence = " + confidence
                    + " must lie in [0.5, 1)");
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("colony.learner.decay = " + decay + " must lie in (0, 1]");
        }
        if (!(searchShare > 0 && searchShare <= 1)) {
            throw new IllegalArgumentException("colony.learner.search-share = " + searchShare + " must lie in (0, 1]");
        }
        if (searchNice < 0 || searchNice > 19) {
            throw new IllegalArgumentException("colony.learner.search-nice = " + searchNice + " must lie in 0..19");
        }
        if (publishEvery.isNegative() || publishEvery.isZero()) {
            throw new IllegalArgumentException("colony.learner.publish-every = " + publishEvery + " must be positive");
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("colony.learner." + key + " = " + value + " must be at least " + min);
        }
    }
}
