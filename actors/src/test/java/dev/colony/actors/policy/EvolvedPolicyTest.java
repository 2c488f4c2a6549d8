package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.node.NodeReply.Offer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The evolved policy's resource features: memory headroom, GPU fit and cost. */
class EvolvedPolicyTest {

    private static final ResourceRequest GPU_TASK = new ResourceRequest(2, 1L << 30, 1, 0);

    private static Offer offer(String node, ResourceRequest free) {
        return new Offer(node, null, 1, 1, Long.MAX_VALUE, 0, 0, 0, 2, free);
    }

    private static PolicyGenome only(int feature) {
        double[] w = new double[PolicyGenome.FEATURES.length];
        w[feature] = 1;
        return new PolicyGenome(w, TaskOrdering.FIFO, 0, 0, 1e9);
    }

    @Test
    void shouldScoreMemoryHeadroomGpuFitAndCoreSeconds() {
        var request = new PlacementRequest("j", "t", "gemm", GPU_TASK, 1, 1, 4_000, 0, Map.of());
        var roomy = offer("roomy", new ResourceRequest(8, 8L << 30, 1, 0));
        var tight = offer("tight", new ResourceRequest(8, 2L << 30, 0, 0));
        assertEquals(0.125, new EvolvedPolicy(only(6), 1).score(request, roomy), 1e-12);
        assertEquals(0.5, new EvolvedPolicy(only(6), 1).score(request, tight), 1e-12);
        assertEquals(0, new EvolvedPolicy(only(7), 1).score(request, roomy));
        assertEquals(1, new EvolvedPolicy(only(7), 1).score(request, tight)); // no GPU free there
        var cpuTask = new PlacementRequest("j", "u", "spin", ResourceRequest.ONE_CPU, 1, 1, 4_000, 0, Map.of());
        assertEquals(1, new EvolvedPolicy(only(7), 1).score(cpuTask, roomy)); // would sit on an idle GPU's node
        assertEquals(4.0, new EvolvedPolicy(only(8), 1).score(request, roomy), 1e-12); // 4 s / speed 2 x 2 cpus
        var choose = new EvolvedPolicy(only(6), 1).choose(request, List.of(tight, roomy), new SplittableRandom(1));
        assertEquals("roomy", choose.orElseThrow().nodeName());
    }
}
