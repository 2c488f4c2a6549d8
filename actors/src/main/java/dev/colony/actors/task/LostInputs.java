package dev.colony.actors.task;

import dev.colony.actors.job.Job;
import dev.colony.actors.node.NodeReply;
import dev.colony.actors.output.TaskOutput;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The inputs a task incarnation found lost (their producer could no longer serve them): what it
 * tells its job, which runs the producers again, and which Executes it ignores since (those that
 * still carry a lost output: sent before the job knew).
 */
final class LostInputs {

    private final Set<String> keys = new HashSet<>();

    /** What to tell the job about attempt {@code failed} of {@code work}, whose inputs were lost; remembers them. */
    Job.InputsLost report(String taskId, int reruns, Work work, NodeReply.AttemptFailed failed) {
        Map<String, String> lost = new LinkedHashMap<>();
        for (String name : failed.lostInputs()) {
            TaskOutput in = work.execute().inputs().get(name);
            String producer = work.spec().inputs().get(name);
            if (in != null && in.isStored() && producer != null) {
                keys.add(in.ref().key());
                lost.put(producer, in.ref().key());
            }
        }
        return new Job.InputsLost(taskId, reruns, lost, failed.reason());
    }

    /** Whether {@code m} carries an output this incarnation found lost. */
    boolean stale(Task.Execute m) {
        return !keys.isEmpty() && m.inputs().values().stream()
                .anyMatch(in -> in != null && in.isStored() && keys.contains(in.ref().key()));
    }
}
