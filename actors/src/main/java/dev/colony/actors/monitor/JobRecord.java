package dev.colony.actors.monitor;

import dev.colony.actors.CborSerializable;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.job.TaskSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A job that ended, as the learner records it: its DAG with each task's work size, where each task
 * ran and for how long, the policy version that placed it and its completion time. The learner
 * replays recorded jobs in the simulator and compares policies on their completion times.
 *
 * @param policyVersion the version of the placement policy the job was assigned (0: the configured
 *                      built-in policy)
 * @param outcome       {@code succeeded} or {@code failed}
 */
public record JobRecord(String jobId, long policyVersion, String outcome, long acceptedAtMs, long endedAtMs,
                        List<TaskRecord> tasks) implements CborSerializable {

    /** Copies the list. */
    public JobRecord {
        tasks = List.copyOf(tasks);
    }

    /**
     * One task of the job.
     *
     * @param workSize the kernel's measure of its work ({@link dev.colony.actors.kernel.Kernel#workSize})
     * @param parents  tasks it waited for
     * @param node     node of its last attempt (null if it never ran)
     * @param outputBytes size of its output when it went to the output store (0 when it travelled inline)
     */
    public record TaskRecord(String id, String kernel, double workSize, List<String> parents, String node,
                             long runMs, long queueWaitMs, long outputBytes) implements CborSerializable {

        /** Copies the list. */
        public TaskRecord {
            parents = List.copyOf(parents);
        }
    }

    /** Job completion time: from acceptance to end. */
    public long elapsedMs() {
        return endedAtMs - acceptedAtMs;
    }

    /** Whether every task succeeded. */
    public boolean succeeded() {
        return "succeeded".equals(outcome);
    }

    /** The record of a job that ended with {@code result}; {@code workSize} measures each task. */
    public static JobRecord of(JobSpec spec, JobResult result, long policyVersion, ToDoubleFunction<TaskSpec> workSize) {
        List<TaskRecord> tasks = new ArrayList<>(spec.tasks().size());
        for (TaskSpec t : spec.tasks()) {
            TaskSummary s = result.tasks().get(t.id());
            var stored = result.storedOutputs().get(t.id());
            tasks.add(new TaskRecord(t.id(), t.kernel(), workSize.applyAsDouble(t), t.parents().stream().sorted().toList(),
                    s == null ? null : s.node(), s == null ? 0 : s.runMs(), s == null ? 0 : s.queueWaitMs(),
                    stored == null ? 0 : stored.bytes()));
        }
        return new JobRecord(spec.id(), policyVersion, result.succeeded() ? "succeeded" : "failed",
                result.acceptedAtMs(), result.finishedAtMs(), tasks);
    }
}
