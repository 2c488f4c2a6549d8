package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import java.util.Map;

/**
 * One job as {@link JobIndex} lists it: what it is and how it ended, not its tasks.
 *
 * @param phase        Running, Succeeded or Failed
 * @param tasks        how many tasks it has
 * @param acceptedAtMs when it was accepted (epoch ms)
 * @param finishedAtMs when it ended (epoch ms), 0 while it runs
 * @param reason       why it failed, or null
 */
public record JobEntry(String id, JobStatus.Phase phase, int tasks, int priority, Map<String, String> labels,
                       long acceptedAtMs, long finishedAtMs, String reason) implements CborSerializable {

    /** Replaces absent labels with none. */
    public JobEntry {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Job {@code spec}, accepted at {@code atMs} and running. */
    public static JobEntry running(JobSpec spec, long atMs) {
        return new JobEntry(spec.id(), JobStatus.Phase.RUNNING, spec.tasks().size(), spec.priority(), spec.labels(),
                atMs, 0, null);
    }

    /** Job {@code spec}, ended with {@code result} (never a rejection: a rejected job has no entry). */
    public static JobEntry ended(JobSpec spec, JobResult result) {
        JobStatus.Phase phase = result.succeeded() ? JobStatus.Phase.SUCCEEDED : JobStatus.Phase.FAILED;
        return new JobEntry(spec.id(), phase, spec.tasks().size(), spec.priority(), spec.labels(),
                result.acceptedAtMs(), result.finishedAtMs(), result.reason());
    }

    /** This entry as {@code status} (a job's own answer) shows it. */
    JobEntry as(JobStatus status) {
        return new JobEntry(id, status.phase(), tasks, priority, labels, acceptedAtMs, status.finishedAtMs(),
                status.reason());
    }

    /** Whether the job has ended. */
    public boolean ended() {
        return phase != JobStatus.Phase.RUNNING;
    }
}
