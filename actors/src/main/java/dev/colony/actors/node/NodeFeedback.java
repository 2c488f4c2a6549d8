package dev.colony.actors.node;

import akka.actor.typed.ActorRef;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.monitor.Feedback;
import dev.colony.actors.monitor.Monitor;
import dev.colony.actors.output.TaskOutput;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a node's feedback goes: its monitor (told every finished attempt) and the gauge the monitor
 * samples.
 *
 * @param monitor the node's monitor; null for a node nobody learns from
 */
public record NodeFeedback(ActorRef<Monitor.Command> monitor, NodeGauge gauge) {

    /** No monitor. */
    public static final NodeFeedback NONE = new NodeFeedback(null, new NodeGauge());

    /**
     * Tells the monitor how attempt {@code a} on {@code node} ended; {@code output} is null unless
     * it succeeded, and {@code inputReadMs} is the time its stored inputs took to read.
     */
    void ended(NodeSettings node, KernelRegistry kernels, Attempt a, long queueWaitMs, String outcome, long runMs,
               double inputReadMs, TaskOutput output, long atMs) {
        if (monitor == null) {
            return;
        }
        double work = kernels.find(a.kernel()).map(k -> k.workSize(a.params())).orElse(1.0);
        Map<String, Long> from = new HashMap<>();
        a.inputs().values().stream().filter(o -> o != null && o.isStored())
                .forEach(o -> from.merge(o.ref().node(), o.ref().bytes(), Long::sum));
        long bytesIn = from.values().stream().mapToLong(Long::longValue).sum();
        long bytesOut = output != null && output.isStored() ? output.ref().bytes() : 0;
        monitor.tell(new Monitor.Record(new Feedback.AttemptRecord(a.jobId(), a.taskId(), a.kernel(), work, node.name(),
                node.speedFactor(), queueWaitMs, runMs, bytesIn, bytesOut, outcome, atMs, a.policyVersion(), from,
                inputReadMs)));
    }
}
