package dev.colony.runtime.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobIndex;
import dev.colony.persistence.JournalReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether a job id may exist, answered without starting a job entity (the HTTP API's 404): it was
 * submitted through this runtime lately ({@link RecentIds}), the job list has it (every running job
 * and the latest {@code colony.jobs.list.keep} ended ones), or, on a durable journal, the journal
 * holds an event of it. The last check is what makes an accepted job's 202 hold: the job list
 * records a job after its acceptance is journalled, and a member killed in between (the list's
 * singleton lives on the oldest) loses that record while the job itself runs on (chaos saw GET
 * answer 404 for such a job). Thread-safe.
 */
public final class KnownJobs {

    private final ActorSystem<?> system;
    private final ActorRef<JobIndex.Command> jobList;
    private final boolean durable;
    private final Duration timeout;
    private final RecentIds recent = new RecentIds();
    private JournalReader reader; // made on first use (it starts the journal's query plugin), under this

    /** Asks {@code jobList}, and the journal when {@code durable}, each within {@code timeout}. */
    public KnownJobs(ActorSystem<?> system, ActorRef<JobIndex.Command> jobList, boolean durable, Duration timeout) {
        this.system = system;
        this.jobList = jobList;
        this.durable = durable;
        this.timeout = timeout;
    }

    /** Job {@code jobId} was just submitted here: known from now on, before the job list hears of it. */
    public void submitted(String jobId) {
        recent.add(jobId);
    }

    /** Whether job {@code jobId} may exist. */
    public CompletionStage<Boolean> knows(String jobId) {
        if (recent.contains(jobId)) {
            return CompletableFuture.completedFuture(true);
        }
        CompletionStage<Boolean> listed = AskPattern.ask(jobList, r -> new JobIndex.Lookup(jobId, r), timeout,
                system.scheduler());
        if (!durable) {
            return listed;
        }
        return listed.thenCompose(known -> known ? CompletableFuture.completedFuture(true)
                : reader().hasEvents(Job.TYPE_KEY.name() + "|" + jobId));
    }

    private synchronized JournalReader reader() {
        if (reader == null) {
            reader = new JournalReader(system, timeout);
        }
        return reader;
    }
}
