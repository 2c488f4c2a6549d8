package dev.colony.runtime.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.learner.LearnerView;
import dev.colony.actors.learner.PolicyRecord;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.actors.policy.TaskOrdering;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import dev.colony.runtime.cli.ColonyCliTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop on a live embedded runtime: three nodes of speed 1, 2 and 4 (one cpu each) in
 * one JVM, running seeded streams of DAG jobs of spin tasks one after another.
 */
class LearnerLiveTest {

    private static final String NODES = """
            colony.node { name = "slow", cpus = 1, memory = 1GiB, speed-factor = 1.0 }
            colony.nodes = [{ name = "mid", speed-factor = 2.0 }, { name = "fast", speed-factor = 4.0 }]
            colony.placement.policy = "round-robin"
            colony.monitor.max-batch = 20
            colony.learner { population = 40, generations = 30, publish-every = 100ms }
            """;


    @TempDir
    Path dir;

    private static Colony start(String config) {
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString(config + NODES)));
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JobResult run(Colony colony, JobSpec job) {
        JobResult r = await(colony.submit(job));
        assertTrue(r.succeeded(), r.jobId() + ": " + r.reason());
        return r;
    }

    /** The policy that placed a job's tasks (every task of a job uses its job's version). */
    private static String policyOf(JobResult r) {
        return r.tasks().values().iterator().next().policy();
    }

    @Test
    void shouldPromoteAPolicyWithAtLeastThirtyPercentLowerMeanJobCompletionTimeThanRoundRobin() {
        try (Colony colony = start("""
                colony.persistence.journal = memory
                colony.learner { evolve-after-jobs = 16, canary { slice = 0.5, min-jobs = 4, max-jobs = 20 } }
                # placement is what is compared: every task placed by its policy (no lease handed on)
                colony.node.lease-reuse.limit = 0
                """)) {
            List<Long> roundRobin = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                JobResult r = run(colony, SpinJobs.job("rr", 1, i));
                assertEquals("round-robin", policyOf(r));
                roundRobin.add(r.elapsedMs());
            }
            int streamed = 0;
            while (colony.deployment().incumbent() == 0) {
                assertTrue(streamed < 150, "no policy promoted within 150 jobs: " + await(colony.learner()).state().history());
                run(colony, SpinJobs.job("stream", 2, streamed++));
            }
            long version = colony.deployment().incumbent();
            // A search may start right after a promotion; measure on a machine not busy with it.
            TestProbe.create(colony.system()).awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(50),
                    () -> {
                        assertFalse(await(colony.learner()).searching());
                        return null;
                    });
            List<Long> evolved = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                JobResult r = run(colony, SpinJobs.job("again", 1, i)); // the round-robin jobs again
                if (policyOf(r).equals("evolved-v" + version)) { // not a later canary's
                    evolved.add(r.elapsedMs());
                }
            }
            double rr = roundRobin.stream().mapToLong(Long::longValue).average().orElseThrow();
            double ev = evolved.stream().mapToLong(Long::longValue).average().orElseThrow();
            LearnerView view = await(colony.learner());
            System.out.printf("mean JCT: round-robin %.1f ms, evolved-v%d %.1f ms (%+.1f%%) over %d jobs, promoted after"
                    + " %d streamed jobs; generation %d; %s%n", rr, version, ev, 100 * (ev / rr - 1), evolved.size(),
                    streamed, view.state().generation(), view.state().history());
            assertTrue(evolved.size() >= 8, "jobs placed by the promoted version: " + evolved.size());
            assertTrue(ev <= 0.7 * rr, "evolved " + ev + " ms vs round-robin " + rr + " ms");
        }
    }

    @Test
    void shouldRollBackABadCandidateWithinItsCanarySlice() {
        double slice = 0.25;
        try (Colony colony = start("""
                colony.persistence.journal = memory
                akka.actor.serialize-messages = on
                colony.learner { evolve-after-jobs = 100000, canary { slice = %s, min-jobs = 3, max-jobs = 20 } }
                """.formatted(slice))) {
            for (int i = 0; i < 4; i++) {
                run(colony, SpinJobs.job("warm", 3, i)); // the model learns spin's run times
            }
            // Prefers the slowest node for every task: minimises -1/speed.
            PolicyGenome bad = new PolicyGenome(new double[] {0, 0, 0, 0, 0, -1, 0, 0, 0}, TaskOrdering.PRIORITY, 0, 0,
                    1e9);
            long version = await(colony.tryPolicy(bad, "a deliberately bad candidate"));
            int submitted = 0;
            int placedByCanary = 0;
            while (colony.deployment().hasCanary() || submitted == 0) {
                assertTrue(submitted < 100, "the bad candidate was not rolled back within 100 jobs");
                JobResult r = run(colony, SpinJobs.job("trial", 4, submitted++));
                placedByCanary += policyOf(r).equals("evolved-v" + version) ? 1 : 0;
                if (placedByCanary > 0 && policyOf(r).equals("evolved-v" + version)) {
                    assertTrue(r.tasks().values().stream().allMatch(t -> t.node().equals("slow")), "bad placement");
                }
            }
            PolicyRecord record = await(colony.learner()).state().history().getLast();
            System.out.printf("bad candidate v%d: %s after %d jobs, %d of them placed by it: %s%n", version,
                    record.status(), submitted, placedByCanary, record.reason());
            assertEquals("rolled back", record.status());
            assertEquals(0, colony.deployment().incumbent());
            assertTrue(placedByCanary >= 3, "judged on " + placedByCanary + " canary jobs");
            assertTrue(placedByCanary <= Math.floor(slice * submitted), placedByCanary + " canary jobs of " + submitted);
            JobResult after = run(colony, SpinJobs.job("after", 4, 0));
            assertEquals("round-robin", policyOf(after));
        }
    }

    @Test
    void shouldResumeFromItsJournalAfterARestart() {
        String config = """
                colony.persistence { journal = h2, data-dir = "%s" }
                akka.actor.serialize-messages = on
                colony.learner { evolve-after-jobs = 6, min-improvement = 0, canary { slice = 0.5, min-jobs = 1000,
                  max-jobs = 1000 }, snapshot-every = 5 }
                """.formatted(dir.toString().replace("\\", "/"));
        LearnerView before;
        try (Colony colony = start(config)) {
            int i = 0;
            while (!colony.deployment().hasCanary()) {
                assertTrue(i < 60, "no candidate on trial within 60 jobs");
                run(colony, SpinJobs.job("first", 5, i++));
            }
            before = await(colony.learner());
        }
        try (Colony colony = start(config)) {
            LearnerView after = await(colony.learner());
            assertEquals(before.state().generation(), after.state().generation());
            assertTrue(after.state().generation() > 0);
            assertEquals(before.state().deployment(), after.state().deployment());
            assertEquals(before.state().history(), after.state().history());
            JobResult r = run(colony, SpinJobs.job("second", 5, 0));
            assertTrue(List.of("round-robin", "evolved-v" + after.state().deployment().canary()).contains(policyOf(r)));
            // one candidate at a time
            var refused = colony.tryPolicy(PolicyGenome.EARLIEST_FINISH, "another").toCompletableFuture();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, refused::get);
            assertTrue(e.getCause().getMessage().contains("is on trial"), e.getCause().getMessage());
        }
        // the operator's view, read from the journal
        String data = dir.toString();
        var history = ColonyCliTest.cli("learner", "history", "--journal", "h2", "--data-dir", data);
        assertEquals(0, history.code(), history.out() + history.err());
        assertTrue(history.out().contains("on trial") && history.out().contains("simulated:")
                && history.out().contains("generation " + before.state().generation()), history.out());
        // events before its snapshots are deleted: the history starts from the latest snapshot
        assertTrue(history.out().contains("after its snapshot at event #"), history.out());
        var model = ColonyCliTest.cli("learner", "model", "--journal", "h2", "--data-dir", data);
        assertEquals(0, model.code(), model.out() + model.err());
        assertTrue(model.out().contains("spin@fast") && model.out().contains("spin at speed 1"), model.out());
    }
}
