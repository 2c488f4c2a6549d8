package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.job.ResourceRequest;
import dev.colony.actors.output.TensorShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A unit of work a node can run. Implementations are discovered with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.colony.actors.kernel.Kernel}) or named in the
 * setting {@code colony.kernels.classes}; they need a public no-argument constructor.
 *
 * <p>Thread safety: one instance serves every task on a node, possibly on several threads at
 * once, so implementations must be stateless or thread-safe. {@link #run} runs on the node's
 * kernel dispatcher, never on an actor thread, and may block.
 */
public interface Kernel {

    /** The name tasks use to call this kernel: lower case, unique in the registry. */
    String name();

    /** One line saying what the kernel does, for {@code colony info} and error messages. */
    default String description() {
        return name();
    }

    /** Resources a task needs when its spec names none; may depend on the parameters. */
    default ResourceRequest resourceHint(JsonNode params) {
        return ResourceRequest.ONE_CPU;
    }

    /**
     * The size of the work {@code params} ask for, in the kernel's own unit (spin: ms at speed 1;
     * gemm: floating-point operations). The learner fits run time over it per kernel and node, so it
     * should grow in proportion to the run time; the default, 1, treats every call alike.
     */
    default double workSize(JsonNode params) {
        return 1;
    }

    /**
     * Checks parameters when a job is submitted, so a bad value rejects the job before anything
     * runs. Returns one message per problem, each naming the parameter, the value and the limit.
     */
    default List<String> validate(JsonNode params) {
        return List.of();
    }

    /**
     * The input names this kernel reads (a task naming another is rejected at submission), or
     * empty when it takes any name (the default).
     */
    default Optional<Set<String>> inputNames() {
        return Optional.empty();
    }

    /**
     * The shape of the tensor this kernel outputs with {@code params} and inputs of shapes
     * {@code inputs} (input name → shape, for those known at submission), when that says it; empty
     * otherwise (the default). Lets the kernels downstream check their shapes before anything runs.
     */
    default Optional<TensorShape> outputShape(JsonNode params, Map<String, TensorShape> inputs) {
        return Optional.empty();
    }

    /**
     * Checks the shapes of the inputs known at submission ({@code inputs}: input name → shape),
     * like {@link #validate}: one message per problem, naming the inputs and their shapes.
     */
    default List<String> validateInputs(JsonNode params, Map<String, TensorShape> inputs) {
        return List.of();
    }

    /**
     * Runs one attempt.
     *
     * @param context the task's identity, parameters and the node it runs on
     * @param inputs  input name → output of the task that produced it
     * @return the output passed to dependent tasks and reported in the job result; never null
     *         ({@code NullNode} for none)
     * @throws Exception a failure; the attempt fails with its message and may be retried
     */
    JsonNode run(TaskContext context, Map<String, JsonNode> inputs) throws Exception;
}
