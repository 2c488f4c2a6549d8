package dev.colony.actors.task;

import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.node.Attempt;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.policy.PlacementPolicy;
import dev.colony.actors.policy.PlacementRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * What one task incarnation runs and how it places it: the job's {@code Execute}, the placement
 * policy of the version the job was assigned, and the learner's estimate of its run time at speed 1
 * (0 when the learner has none), all fixed when the Execute arrives.
 */
record Work(Task.Execute execute, PlacementPolicy policy, double expectedRunMs) {

    /** The work {@code m} asks for, with the policy and estimate {@code deps} have now. */
    static Work of(Task.Execute m, TaskDeps deps) {
        TaskSpec spec = m.spec();
        return new Work(m, deps.policies().policy(m.policyVersion()),
                deps.policies().estimates().expectedRunMs(spec.kernel(), deps.workSize().applyAsDouble(spec)));
    }

    TaskSpec spec() {
        return execute.spec();
    }

    /** What the policy is told about round {@code round} of attempt {@code attempt}. */
    PlacementRequest request(int attempt, int round) {
        long bytes = 0;
        Map<String, Long> on = new HashMap<>();
        for (TaskOutput in : execute.inputs().values()) {
            if (in != null && in.isStored()) { // inline inputs travel inside the Run message anyway
                bytes += in.ref().bytes();
                on.merge(in.ref().node(), in.ref().bytes(), Long::sum);
            }
        }
        TaskSpec spec = spec();
        return new PlacementRequest(execute.jobId(), spec.id(), spec.kernel(), spec.resources(), attempt, round,
                expectedRunMs, bytes, on);
    }

    /** Attempt number {@code number} as the node runs it. */
    Attempt attempt(int number) {
        TaskSpec spec = spec();
        return new Attempt(execute.jobId(), spec.id(), number, spec.kernel(), spec.params(), execute.inputs(),
                spec.timeoutMs(), policy.version());
    }
}
