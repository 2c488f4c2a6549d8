package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;

/**
 * Resources a task needs on one node, or a node's capacity.
 *
 * @param cpus           cores, may be fractional (0.25 = a quarter core); greater than 0 for a task
 * @param memoryBytes    memory in bytes, 0 or more
 * @param gpus           whole GPUs, 0 or more
 * @param gpuMemoryBytes GPU memory in bytes, 0 or more
 */
public record ResourceRequest(double cpus, long memoryBytes, int gpus, long gpuMemoryBytes)
        implements CborSerializable {

    /** One core and nothing else: the default for a task that says nothing. */
    public static final ResourceRequest ONE_CPU = new ResourceRequest(1, 0, 0, 0);

    /** Nothing at all. */
    public static final ResourceRequest NONE = new ResourceRequest(0, 0, 0, 0);

    /** Shorthand for a CPU-only request. */
    public static ResourceRequest cpus(double cpus) {
        return new ResourceRequest(cpus, 0, 0, 0);
    }

    /** Whether this request fits inside {@code capacity} in every dimension. */
    public boolean fitsIn(ResourceRequest capacity) {
        return cpus <= capacity.cpus + 1e-9 && memoryBytes <= capacity.memoryBytes
                && gpus <= capacity.gpus && gpuMemoryBytes <= capacity.gpuMemoryBytes;
    }

    /** Component-wise sum. */
    public ResourceRequest plus(ResourceRequest o) {
        return new ResourceRequest(cpus + o.cpus, memoryBytes + o.memoryBytes, gpus + o.gpus,
                gpuMemoryBytes + o.gpuMemoryBytes);
    }

    /** Component-wise difference. */
    public ResourceRequest minus(ResourceRequest o) {
        return new ResourceRequest(cpus - o.cpus, memoryBytes - o.memoryBytes, gpus - o.gpus,
                gpuMemoryBytes - o.gpuMemoryBytes);
    }

    @Override
    public String toString() {
        return "cpus=" + trim(cpus) + ", memory=" + Bytes.format(memoryBytes) + ", gpus=" + gpus
                + ", gpuMemory=" + Bytes.format(gpuMemoryBytes);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
