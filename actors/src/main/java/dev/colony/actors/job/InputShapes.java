package dev.colony.actors.job;

import dev.colony.actors.kernel.Brief;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.output.TensorShape;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The submission-time check of each task's inputs against its kernel: names the kernel does not
 * read, and tensor shapes that cannot fit (a gemm whose A has more columns than its B has rows).
 * Shapes flow down the DAG from the kernels that can tell theirs from their parameters, in
 * topological order, without recursion.
 */
final class InputShapes {

    private InputShapes() {
    }

    /** Adds a problem for each input of {@code tasks} (an acyclic, edge-checked DAG) that cannot work. */
    static void check(List<TaskSpec> tasks, KernelRegistry kernels, List<String> problems) {
        Map<String, TaskSpec> byId = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (TaskSpec t : tasks) {
            byId.put(t.id(), t);
            waiting.put(t.id(), t.parents().size());
            t.parents().forEach(p -> children.computeIfAbsent(p, k -> new java.util.ArrayList<>()).add(t.id()));
        }
        ArrayDeque<String> ready = new ArrayDeque<>();
        waiting.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        Map<String, TensorShape> shapes = new HashMap<>();
        while (!ready.isEmpty()) {
            TaskSpec t = byId.get(ready.poll());
            Kernel kernel = kernels.find(t.kernel()).orElseThrow();
            String name = "task '" + Brief.text(t.id()) + "'";
            Optional<Set<String>> known = kernel.inputNames();
            Map<String, TensorShape> in = new LinkedHashMap<>();
            for (var e : t.inputs().entrySet()) {
                if (known.isPresent() && !known.get().contains(e.getKey())) {
                    problems.add(name + ": unknown input '" + Brief.text(e.getKey()) + "'; " + kernel.name()
                            + (known.get().isEmpty() ? " reads no inputs" : " reads " + new java.util.TreeSet<>(known.get())));
                } else if (shapes.containsKey(e.getValue())) {
                    in.put(e.getKey(), shapes.get(e.getValue()));
                }
            }
            kernel.validateInputs(t.params(), in).forEach(p -> problems.add(name + ": " + p));
            kernel.outputShape(t.params(), in).ifPresent(s -> shapes.put(t.id(), s));
            for (String c : children.getOrDefault(t.id(), List.of())) {
                if (waiting.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
    }
}
