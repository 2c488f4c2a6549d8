package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Burns CPU: {@code work} units, one unit being one millisecond of CPU time on a node of speed
 * factor 1.0. A node of speed factor 2.0 burns half as much CPU for the same work, which lets a
 * homogeneous machine act as a heterogeneous cluster in scheduling experiments. Measured on the
 * thread's CPU clock, so a contended core makes the task take longer in wall time, as real work
 * would. Polls for cancellation every few microseconds.
 */
public final class SpinKernel implements Kernel {

    /** Upper bound of {@code work}: one day of CPU. */
    public static final long MAX_WORK = 86_400_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return "spin";
    }

    @Override
    public String description() {
        return "burns 'work' ms of CPU (at speed factor 1.0)";
    }

    @Override
    public double workSize(JsonNode params) {
        return Params.doubleOr(params, "work", 0);
    }

    @Override
    public List<String> validate(JsonNode params) {
        return Params.check(name(), params).allowOnly(Set.of("work")).required("work")
                .doubleInRange("work", 0, MAX_WORK).problems();
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        double work = Params.doubleOr(context.params(), "work", 0);
        long budgetNs = (long) (work * 1_000_000 / context.speedFactor());
        long start = cpuTimeNs();
        long spent = 0;
        long x = 0x9E3779B97F4A7C15L;
        while (spent < budgetNs) {
            for (int i = 0; i < 2_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            context.checkCancelled();
            spent = cpuTimeNs() - start;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("work", work);
        out.put("cpuMs", spent / 1e6);
        out.put("checksum", x & 0xFFFF);
        return out;
    }

    private static long cpuTimeNs() {
        long t = THREADS.getCurrentThreadCpuTime();
        return t >= 0 ? t : System.nanoTime();
    }
}
