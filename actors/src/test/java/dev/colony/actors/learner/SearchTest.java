package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.monitor.JobRecord;
import dev.colony.actors.policy.RoundRobinPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a search replays, and that it waits for a node to simulate. */
class SearchTest {

    /** Job {@code id} of {@code tasks} independent spin tasks. */
    private static JobRecord job(String id, int tasks) {
        List<JobRecord.TaskRecord> records = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            records.add(new JobRecord.TaskRecord("t" + i, "spin", 10, List.of(), "n1", 10, 0, 0));
        }
        return new JobRecord(id, 0, "succeeded", 1_000, 2_000, records);
    }

    private static List<String> ids(List<JobRecord> jobs) {
        return jobs.stream().map(JobRecord::jobId).toList();
    }

    @Test
    void shouldReplayTheLatestJobsUpToTheTaskLimit() {
        List<JobRecord> recent = List.of(job("old", 500), job("mid", 300), job("new", 400));
        assertEquals(List.of("mid", "new"), ids(LearnerState.latest(recent, 700)), "300 + 400 fit, 500 more do not");
        assertEquals(List.of("old", "mid", "new"), ids(LearnerState.latest(recent, 1_200)));
        assertEquals(List.of("new"), ids(LearnerState.latest(recent, 699)));
        assertEquals(List.of("new"), ids(LearnerState.latest(recent, 1)), "the latest job always, however large");
        assertEquals(List.of(), ids(LearnerState.latest(List.of(), 10)));
    }

    @Test
    void shouldWaitForANodeBeforeSearching() {
        var settings = new LearnerSettings(true, 4, 2, 1, 1, 1, 10, Objective.MEAN_JCT, 0.02, 0.1, 2, 5, 0.95, 0.99,
                100, Duration.ofSeconds(1), 2000, 1000, 1, 0);
        Search search = new Search(settings, List::of, new RoundRobinPolicy(), InstantSource.system());
        assertFalse(search.ready());
        var e = assertThrows(IllegalStateException.class, () -> search.run(LearnerState.initial(0.99), 1));
        assertTrue(e.getMessage().contains("no node is known"), e.getMessage());
    }
}
