package dev.colony.actors.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.kernel.Tensors;
import dev.colony.actors.output.NewTensor;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.OutputStore;
import dev.colony.actors.output.TaskOutput;
import dev.colony.actors.output.TensorShape;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;

/**
 * The tensors of one attempt: its tensor inputs, mapped or fetched into an arena that lives as long
 * as the kernel runs, and at most one tensor output written into a mapped file of the output store.
 * Created and closed on the kernel's thread by {@link KernelRun}.
 */
final class AttemptTensors implements Tensors, AutoCloseable {

    private final OutputStore store;
    private final Attempt attempt;
    private final String node;
    private Arena arena; // shared (the data plane's poller writes fetches into it): made on first use, as
                         // closing one costs a handshake with every thread, which tiny tasks must not pay
    private final Map<String, Matrix> inputs = new HashMap<>();
    private NewTensor output;
    private JsonNode outputMarker;

    AttemptTensors(OutputStore store, Attempt attempt, String node) {
        this.store = store;
        this.attempt = attempt;
        this.node = node;
    }

    /** Maps or fetches input {@code name}, stored as a tensor under {@code ref}. */
    void load(String name, OutputRef ref) {
        TensorShape shape = ref.tensor();
        if (arena == null) {
            arena = Arena.ofShared();
        }
        inputs.put(name, Matrix.wrap(store.segment(ref, arena), shape.type(), shape.rows(), shape.cols()));
    }

    @Override
    public Matrix input(String name) {
        return inputs.get(name);
    }

    @Override
    public Matrix newOutput(DType dtype, int rows, int cols) {
        if (!store.storesFiles()) {
            return Tensors.none().newOutput(dtype, rows, cols);
        }
        if (output != null) {
            throw new IllegalStateException("an attempt has one tensor output; newOutput was called twice");
        }
        output = store.newTensor(node, attempt.jobId(), attempt.taskId(), attempt.attempt(),
                TensorShape.of(dtype, rows, cols));
        return output.matrix();
    }

    @Override
    public JsonNode output(Matrix matrix) {
        if (output == null || matrix != output.matrix()) {
            if (!store.storesFiles()) {
                return Tensors.none().output(matrix);
            }
            throw new IllegalArgumentException("output(matrix) takes the matrix newOutput returned");
        }
        outputMarker = output.shape().describe(node, output.shape().byteSize());
        return outputMarker;
    }

    /**
     * The attempt's output given what the kernel returned: the tensor when it returned
     * {@link #output}'s answer, else {@code returned} stored as usual (and an unused tensor discarded).
     */
    TaskOutput finish(JsonNode returned) {
        if (output != null && returned == outputMarker) {
            NewTensor t = output;
            output = null;
            return t.commit();
        }
        return store.put(node, attempt.jobId(), attempt.taskId(), attempt.attempt(), returned);
    }

    /** Discards an uncommitted tensor output and unmaps the inputs. */
    @Override
    public void close() {
        if (output != null) {
            output.discard();
        }
        if (arena != null) {
            arena.close();
        }
    }
}
