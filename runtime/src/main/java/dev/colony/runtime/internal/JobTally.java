package dev.colony.runtime.internal;

import dev.colony.actors.job.JobResult;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many jobs whose entity ran in this process have ended, by outcome (for metrics). Thread-safe. */
public final class JobTally {

    private final Map<JobResult.Outcome, LongAdder> ended = new EnumMap<>(JobResult.Outcome.class);

    JobTally() {
        for (JobResult.Outcome o : JobResult.Outcome.values()) {
            ended.put(o, new LongAdder());
        }
    }

    void ended(JobResult result) {
        ended.get(result.outcome()).increment();
    }

    /** Jobs that ended with {@code outcome}. */
    public long ended(JobResult.Outcome outcome) {
        return ended.get(outcome).sum();
    }
}
