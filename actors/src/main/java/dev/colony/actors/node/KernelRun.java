package dev.colony.actors.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.colony.actors.kernel.GpuAccess;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.TaskContext;
import dev.colony.actors.output.OutputLostException;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.TaskOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One kernel invocation on the kernel dispatcher: reads stored inputs back from the output store,
 * or fetches them over the data plane from the node that stored them (timing it: the cost of moving
 * them here), runs the kernel and stores a large output, all on the
 * kernel's thread. When it ends, however it ends, it hands the
 * node one message built by {@code finished}; the node's state is never touched from here. An
 * input its producer can no longer serve fails the run naming the inputs lost with it (see
 * {@link InputsLost}), so that the job can make them again.
 * {@link #cancel(boolean) cancel(true)} interrupts the kernel's thread.
 */
final class KernelRun<M> extends FutureTask<TaskOutput> {

    /** Builds the node's completion message. */
    interface Finished<M> {
        M of(long leaseId, TaskOutput output, String error, long runNs, long inputReadNs, List<String> lostInputs);
    }

    private final long leaseId;
    private final String kernelName;
    private final Consumer<M> tellNode;
    private final Finished<M> finished;
    private final AtomicLong inputReadNs;
    private volatile long startNs;

    KernelRun(Kernel kernel, Attempt attempt, NodeSettings node, double cpus, List<GpuAccess> gpus, OutputStore store,
              long leaseId, Consumer<M> tellNode, Finished<M> finished) {
        AtomicLong readNs = new AtomicLong();
        super(() -> {
            try (AttemptTensors tensors = new AttemptTensors(store, attempt, node.name())) {
                Map<String, JsonNode> inputs = new LinkedHashMap<>();
                long readStart = System.nanoTime();
                attempt.inputs().forEach((name, in) -> {
                    try {
                        if (in.isStored() && in.ref().holdsTensor()) {
                            tensors.load(name, in.ref());
                        }
                        inputs.put(name, store.get(in));
                    } catch (OutputLostException e) {
                        throw new InputsLost(attempt.inputs(), name, e);
                    }
                });
                readNs.set(System.nanoTime() - readStart);
                JsonNode out = kernel.run(new TaskContext(attempt.jobId(), attempt.taskId(), attempt.attempt(),
                        attempt.params(), node.name(), node.speedFactor(), cpus, gpus, tensors), inputs);
                return tensors.finish(out == null ? NullNode.getInstance() : out);
            }
        });
        this.inputReadNs = readNs;
        this.leaseId = leaseId;
        this.kernelName = kernel.name();
        this.tellNode = tellNode;
        this.finished = finished;
    }

    @Override
    public void run() {
        startNs = System.nanoTime();
        super.run();
    }

    @Override
    protected void done() {
        long runNs = startNs == 0 ? 0 : System.nanoTime() - startNs;
        TaskOutput output = null;
        String error = null;
        List<String> lost = List.of();
        try {
            output = get();
        } catch (CancellationException e) {
            error = "kernel '" + kernelName + "' was cancelled";
        } catch (ExecutionException e) {
            error = describe(e.getCause());
            lost = e.getCause() instanceof InputsLost l ? l.names() : List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "kernel '" + kernelName + "' was interrupted";
        }
        tellNode.accept(finished.of(leaseId, output, error, runNs, inputReadNs.get(), lost));
    }

    /** Most characters of a kernel's own error text kept in the task's reason (it is journalled and sent). */
    static final int MAX_ERROR_CHARS = 2_000;

    private String describe(Throwable t) {
        String msg = t.getMessage();
        if (msg != null && msg.length() > MAX_ERROR_CHARS) {
            msg = msg.substring(0, MAX_ERROR_CHARS) + "… (" + msg.length() + " characters)";
        }
        String type = t.getClass().getSimpleName();
        if (t instanceof dev.colony.actors.output.OutputStoreException || t instanceof InputsLost) {
            return "kernel '" + kernelName + "': " + msg;
        }
        return "kernel '" + kernelName + "' failed: " + (msg == null || msg.isBlank() ? type : type + ": " + msg);
    }
}
