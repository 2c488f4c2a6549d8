package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * What a running kernel knows about its attempt and the node it runs on. Created by the node
 * for one attempt; read it from the kernel's thread only.
 *
 * @param jobId       the job
 * @param taskId      the task within the job
 * @param attempt     1 for the first attempt
 * @param params      the task's parameters
 * @param nodeName    the node running the attempt
 * @param speedFactor the node's declared speed relative to 1.0 (2.0 = twice as fast)
 * @param cpus        cores the attempt was granted; CPU kernels use this many threads
 * @param gpus        the node's GPUs, empty on a node without one
 * @param tensors     the attempt's tensor inputs and output
 */
public record TaskContext(String jobId, String taskId, int attempt, JsonNode params, String nodeName,
                          double speedFactor, double cpus, List<GpuAccess> gpus, Tensors tensors) {

    /** Copies the GPU list. */
    public TaskContext {
        gpus = List.copyOf(gpus);
        java.util.Objects.requireNonNull(tensors, "tensors");
    }

    /** A context without tensor inputs, whose tensor outputs become JSON. */
    public TaskContext(String jobId, String taskId, int attempt, JsonNode params, String nodeName,
                       double speedFactor, double cpus, List<GpuAccess> gpus) {
        this(jobId, taskId, attempt, params, nodeName, speedFactor, cpus, gpus, Tensors.none());
    }

    /** A context on a node without GPUs. */
    public TaskContext(String jobId, String taskId, int attempt, JsonNode params, String nodeName,
                       double speedFactor, double cpus) {
        this(jobId, taskId, attempt, params, nodeName, speedFactor, cpus, List.of());
    }

    /**
     * Input {@code name} as an off-heap matrix: the tensor itself when the producer stored one, else
     * decoded from its JSON form ({@link MatrixJson}) into {@code arena}; null when there is no such input.
     */
    public Matrix matrix(String name, Map<String, JsonNode> inputs, Arena arena) throws java.io.IOException {
        Matrix tensor = tensors.input(name);
        if (tensor != null || !inputs.containsKey(name)) {
            return tensor;
        }
        return MatrixJson.decode(inputs.get(name), arena, "input '" + name + "'");
    }

    /** Whole threads for the granted cores: at least 1. */
    public int threads() {
        return Math.max(1, (int) Math.ceil(cpus - 1e-9));
    }

    /** True once the attempt was cancelled (timeout, job failed); long kernels should poll it. */
    public boolean cancelled() {
        return Thread.currentThread().isInterrupted();
    }

    /** Throws {@link CancellationException} when the attempt was cancelled. */
    public void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException("task " + taskId + " of job " + jobId + " was cancelled");
        }
    }
}
