package dev.colony.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The list of jobs: what it keeps, what it survives, and how it learns an end it did not hear. */
class JobIndexTest {

    /** Each test its own actor system, so its own in-memory journal. */
    final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.journal.inmem.test-serialization = on
            akka.persistence.snapshot-store.plugin = "akka.persistence.no-snapshot-store"
            """).withFallback(ConfigFactory.load()));

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    static JobSpec spec(String id, int tasks) {
        List<TaskSpec> ts = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ts.add(TaskSpec.of("t" + i, "noop", Map.of()));
        }
        return new JobSpec(id, ts, 2, Map.of("team", "a"));
    }

    static JobResult result(String id, JobResult.Outcome outcome, long at) {
        return new JobResult(id, outcome, outcome == JobResult.Outcome.FAILED ? "boom" : null, Map.of(), Map.of(),
                Map.of(), at - 10, at);
    }

    static JobStatus status(String id, JobStatus.Phase phase, long finishedAt) {
        return new JobStatus(id, phase, phase == JobStatus.Phase.FAILED ? "cancelled: x" : null, new HashMap<>(), 1,
                finishedAt);
    }

    JobIndex.Listing list(ActorRef<JobIndex.Command> index, JobStatus.Phase phase, int limit) {
        TestProbe<JobIndex.Listing> probe = kit.createTestProbe(JobIndex.Listing.class);
        index.tell(new JobIndex.ListJobs(phase, limit, probe.getRef()));
        return probe.receiveMessage();
    }

    static List<String> ids(JobIndex.Listing l) {
        return l.jobs().stream().map(j -> j.id() + ":" + j.phase()).toList();
    }

    /** Newest first, filtered by phase, every running job and the latest {@code keep} ended ones, after a restart too. */
    @Test
    void shouldListTheLatestJobsAndKeepThemAcrossARestart() {
        var settings = new JobIndex.Settings(2, Duration.ofHours(1), false);
        TestProbe<Job.Command> jobs = kit.createTestProbe(Job.Command.class);
        var index = kit.spawn(JobIndex.create(settings, id -> jobs.getRef(), InstantSource.system()));
        index.tell(new JobIndex.Record(JobEntry.running(spec("a", 3), 100)));
        index.tell(new JobIndex.Record(JobEntry.running(spec("b", 1), 200)));
        index.tell(new JobIndex.Record(JobEntry.ended(spec("a", 3), result("a", JobResult.Outcome.SUCCEEDED, 300))));
        index.tell(new JobIndex.Record(JobEntry.ended(spec("c", 2), result("c", JobResult.Outcome.FAILED, 400))));
        index.tell(new JobIndex.Record(JobEntry.running(spec("a", 3), 100))); // a late start: a stays ended
        index.tell(new JobIndex.Record(JobEntry.running(spec("d", 5), 500)));
        assertEquals(List.of("d:RUNNING", "c:FAILED", "b:RUNNING", "a:SUCCEEDED"), ids(list(index, null, 10)));
        assertEquals(List.of("d:RUNNING"), ids(list(index, JobStatus.Phase.RUNNING, 1)));
        index.tell(new JobIndex.Record(JobEntry.ended(spec("b", 1), result("b", JobResult.Outcome.SUCCEEDED, 600))));
        var l = list(index, null, 10);
        assertEquals(List.of("d:RUNNING", "c:FAILED", "b:SUCCEEDED"), ids(l), "a, the oldest ended, is dropped");
        assertEquals(1, l.running());
        assertEquals(1, l.succeeded());
        assertEquals(1, l.failed());
        JobEntry c = l.jobs().get(1);
        assertEquals(2, c.tasks());
        assertEquals("boom", c.reason());
        assertEquals(Map.of("team", "a"), c.labels());

        kit.stop(index);
        var again = kit.spawn(JobIndex.create(settings, id -> jobs.getRef(), InstantSource.system()));
        assertEquals(List.of("d:RUNNING", "c:FAILED", "b:SUCCEEDED"), ids(list(again, null, 10)));
    }

    /**
     * A burst of records beyond the index's stash (4,096; one write per record dropped the rest in
     * {@code colony bench soak}) is journalled in batches, and a query told after them sees every one.
     */
    @Test
    void shouldKeepEveryRecordOfABurstAndAnswerQueriesAfterThem() {
        int burst = 10_000;
        var settings = new JobIndex.Settings(burst, Duration.ofHours(1), false);
        TestProbe<Job.Command> jobs = kit.createTestProbe(Job.Command.class);
        var index = kit.spawn(JobIndex.create(settings, id -> jobs.getRef(), InstantSource.system()));
        JobSpec one = spec("x", 1);
        for (int i = 0; i < burst; i++) {
            JobSpec s = new JobSpec("j" + i, one.tasks(), 0, Map.of());
            index.tell(new JobIndex.Record(i % 2 == 0 ? JobEntry.running(s, i)
                    : JobEntry.ended(s, result(s.id(), JobResult.Outcome.SUCCEEDED, i))));
        }
        TestProbe<Boolean> known = kit.createTestProbe(Boolean.class);
        index.tell(new JobIndex.Lookup("j" + (burst - 1), known.getRef()));
        var l = list(index, null, 1);
        assertEquals(List.of("j" + (burst - 1) + ":SUCCEEDED"), ids(l));
        assertEquals(burst / 2, l.running());
        assertEquals(burst / 2, l.succeeded());
        assertTrue(known.receiveMessage(), "the last record told before the lookup");

        kit.stop(index);
        var again = kit.spawn(JobIndex.create(settings, id -> jobs.getRef(), InstantSource.system()));
        assertEquals(burst, list(again, null, 1).running() + list(again, null, 1).succeeded(), "all journalled");
    }

    /** A job whose end was lost is asked once it has run longer than check-every, and listed as it answers. */
    @Test
    void shouldAskARunningJobItHasNotHeardEnd() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        var settings = new JobIndex.Settings(100, Duration.ofMillis(200), false);
        TestProbe<Job.Command> jobs = kit.createTestProbe(Job.Command.class);
        var index = kit.spawn(JobIndex.create(settings, id -> jobs.getRef(), clock));
        index.tell(new JobIndex.Record(JobEntry.running(spec("lost-end", 1), now.get())));
        list(index, null, 1);
        jobs.expectNoMessage(Duration.ofMillis(500)); // younger than check-every by the clock: not asked
        now.addAndGet(1_000);
        Job.GetStatus ask = jobs.expectMessageClass(Job.GetStatus.class, Duration.ofSeconds(3));
        assertTrue(ask.withoutTasks(), "the phase is all the list needs");
        ask.replyTo().tell(status("lost-end", JobStatus.Phase.FAILED, now.get()));
        TestProbe<JobIndex.Listing> probe = kit.createTestProbe(JobIndex.Listing.class);
        probe.awaitAssert(() -> {
            index.tell(new JobIndex.ListJobs(null, 1, probe.getRef()));
            JobEntry e = probe.receiveMessage().jobs().getFirst();
            assertEquals("lost-end", e.id());
            assertEquals(JobStatus.Phase.FAILED, e.phase());
            assertEquals("cancelled: x", e.reason());
            assertEquals(now.get(), e.finishedAtMs());
            return null;
        });
    }
}
