package dev.colony.actors.job;

import dev.colony.actors.kernel.Brief;
import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.KernelRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a submitted {@link JobSpec} and fills in defaults. Every problem names the field, the
 * value and the limit; all problems are reported at once. Pure and thread-safe.
 */
public final class JobValidator {

    /** Most problems one rejection spells out; the rest are counted. */
    static final int MAX_REPORTED = 20;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final KernelRegistry kernels;
    private final JobLimits limits;

    /** A validator for jobs that may use {@code kernels}, within {@code limits}. */
    public JobValidator(KernelRegistry kernels, JobLimits limits) {
        this.kernels = kernels;
        this.limits = limits;
    }

    /** Outcome: either a spec with every default filled in, or the problems. */
    public record Result(Optional<JobSpec> accepted, List<String> problems) {
        /** The problems joined into one reason. */
        public String reason() {
            if (problems.size() <= MAX_REPORTED) {
                return String.join("; ", problems);
            }
            return String.join("; ", problems.subList(0, MAX_REPORTED)) + "; and " + (problems.size() - MAX_REPORTED)
                    + " more problems";
        }
    }

    /**
     * Validates {@code spec} against the kernels, the limits and {@code nodeCapacities} (node name
     * → total capacity); an empty map skips the capacity check, since nodes may still join.
     */
    public Result validate(JobSpec spec, Map<String, ResourceRequest> nodeCapacities) {
        List<String> problems = new ArrayList<>();
        checkId("job id", spec.id(), problems);
        if (spec.tasks().isEmpty()) {
            problems.add("job '" + Brief.text(spec.id()) + "' has no tasks");
        } else if (spec.tasks().size() > limits.maxTasks()) {
            problems.add("job has " + spec.tasks().size() + " tasks; the limit is " + limits.maxTasks()
                    + " (colony.jobs.max-tasks)");
        }
        if (Math.abs((long) spec.priority()) > JobLimits.MAX_PRIORITY) {
            problems.add("priority = " + spec.priority() + " must lie in [-" + JobLimits.MAX_PRIORITY + ", "
                    + JobLimits.MAX_PRIORITY + "]");
        }
        checkLabels(spec.labels(), problems);
        List<TaskSpec> normalized = new ArrayList<>();
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < spec.tasks().size(); i++) {
            TaskSpec t = spec.tasks().get(i);
            if (t == null) {
                problems.add("tasks[" + i + "] is null");
                continue;
            }
            Integer previous = indexById.putIfAbsent(t.id(), i);
            if (previous != null) {
                problems.add("duplicate task id '" + Brief.text(t.id()) + "' (tasks[" + previous + "] and tasks[" + i + "])");
            }
            normalized.add(checkTask(t, "tasks[" + i + "]", nodeCapacities, problems));
        }
        if (problems.isEmpty()) {
            checkEdges(normalized, indexById.keySet(), problems);
        }
        if (problems.isEmpty()) {
            findCycle(normalized).ifPresent(c -> problems.add("dependency cycle: " + String.join(" -> ", c)
                    + " (each task waits for the next)"));
        }
        if (problems.isEmpty()) {
            InputShapes.check(normalized, kernels, problems);
        }
        return problems.isEmpty() ? new Result(Optional.of(spec.withTasks(normalized)), List.of())
                : new Result(Optional.empty(), List.copyOf(problems));
    }

    private TaskSpec checkTask(TaskSpec t, String where, Map<String, ResourceRequest> capacities, List<String> problems) {
        int before = problems.size();
        checkId(where + ".id", t.id(), problems);
        String name = where + " ('" + Brief.text(t.id()) + "')";
        Optional<Kernel> kernel = t.kernel() == null ? Optional.empty() : kernels.find(t.kernel());
        if (kernel.isEmpty()) {
            problems.add(name + ": unknown kernel '" + Brief.text(t.kernel()) + "'; known kernels: " + kernels.knownNames());
            return t;
        }
        Optional<String> tooLarge = limits.json().check(t.params());
        if (tooLarge.isPresent()) {
            problems.add(name + ": params " + tooLarge.get());
            return t;
        }
        List<String> paramProblems = kernel.get().validate(t.params());
        paramProblems.forEach(p -> problems.add(name + ": " + p));
        TaskSpec n = t;
        if (t.resources() == null) {
            n = n.withResources(paramProblems.isEmpty() ? kernel.get().resourceHint(t.params()) : ResourceRequest.ONE_CPU);
        } else {
            checkResources(name, t.resources(), problems);
            if (paramProblems.isEmpty()) {
                n = n.withResources(withHintedMemory(t.resources(), kernel.get().resourceHint(t.params())));
            }
        }
        if (capacities != null && !capacities.isEmpty() && problems.size() == before) {
            checkFits(name, n.resources(), capacities, problems);
        }
        n = n.withMaxAttempts(t.maxAttempts() == null ? limits.defaultMaxAttempts() : t.maxAttempts());
        if (n.maxAttempts() < 1 || n.maxAttempts() > limits.maxAttempts()) {
            problems.add(name + ": maxAttempts = " + n.maxAttempts() + " must lie in [1, " + limits.maxAttempts() + "]");
        }
        n = n.withTimeoutMs(t.timeoutMs() == null ? limits.defaultTimeoutMs() : t.timeoutMs());
        if (n.timeoutMs() < 1 || n.timeoutMs() > limits.maxTimeoutMs()) {
            problems.add(name + ": timeoutMs = " + n.timeoutMs() + " must lie in [1, " + limits.maxTimeoutMs() + "]");
        }
        return n;
    }

    /**
     * {@code declared} with at least the memory the kernel says its parameters need: a task that
     * declares less (or 0) would let a node run more such tasks at once than its memory holds.
     */
    private static ResourceRequest withHintedMemory(ResourceRequest declared, ResourceRequest hint) {
        return new ResourceRequest(declared.cpus(), Math.max(declared.memoryBytes(), hint.memoryBytes()),
                declared.gpus(), Math.max(declared.gpuMemoryBytes(), hint.gpuMemoryBytes()));
    }

    private void checkResources(String name, ResourceRequest r, List<String> problems) {
        if (!(r.cpus() >= limits.minCpus() && r.cpus() <= JobLimits.MAX_CPUS)) {
            problems.add(name + ": resources.cpus = " + r.cpus() + " must lie in [" + limits.minCpus() + ", "
                    + (long) JobLimits.MAX_CPUS + "] (colony.jobs.min-cpus)");
        }
        if (r.memoryBytes() < 0 || r.memoryBytes() > JobLimits.MAX_MEMORY_BYTES) {
            problems.add(name + ": resources.memoryBytes = " + r.memoryBytes() + " must lie in [0, "
                    + JobLimits.MAX_MEMORY_BYTES + "] (1PiB)");
        }
        if (r.gpus() < 0 || r.gpus() > JobLimits.MAX_GPUS) {
            problems.add(name + ": resources.gpus = " + r.gpus() + " must lie in [0, " + JobLimits.MAX_GPUS + "]");
        }
        if (r.gpuMemoryBytes() < 0 || r.gpuMemoryBytes() > JobLimits.MAX_GPU_MEMORY_BYTES) {
            problems.add(name + ": resources.gpuMemoryBytes = " + r.gpuMemoryBytes() + " must lie in [0, "
                    + JobLimits.MAX_GPU_MEMORY_BYTES + "] (16TiB)");
        }
    }

    private static void checkFits(String name, ResourceRequest r, Map<String, ResourceRequest> capacities,
                                  List<String> problems) {
        if (capacities.values().stream().anyMatch(r::fitsIn)) {
            return;
        }
        var largest = capacities.entrySet().stream()
                .max(Comparator.<Map.Entry<String, ResourceRequest>>comparingDouble(e -> e.getValue().cpus())
                        .thenComparingLong(e -> e.getValue().memoryBytes())
                        .thenComparingInt(e -> e.getValue().gpus()))
                .orElseThrow();
        problems.add(name + ": no node can ever satisfy resources " + r + "; the largest node, '" + largest.getKey()
                + "', has " + largest.getValue() + " (" + capacities.size() + " node"
                + (capacities.size() == 1 ? "" : "s") + " known)");
    }

    private static void checkEdges(List<TaskSpec> tasks, Set<String> ids, List<String> problems) {
        for (TaskSpec t : tasks) {
            for (String d : t.dependsOn()) {
                checkEdge(t, "dependsOn", d, ids, problems);
            }
            for (var in : t.inputs().entrySet()) {
                if (in.getKey() == null || in.getKey().isBlank()) {
                    problems.add("task '" + Brief.text(t.id()) + "': an input has an empty name");
                }
                checkEdge(t, "inputs." + Brief.text(in.getKey()), in.getValue(), ids, problems);
            }
        }
    }

    private static void checkEdge(TaskSpec t, String field, String target, Set<String> ids, List<String> problems) {
        if (target == null || !ids.contains(target)) {
            problems.add("task '" + Brief.text(t.id()) + "' " + field + " names task '" + Brief.text(target) + "', which is not in the job");
        } else if (target.equals(t.id())) {
            problems.add("task '" + Brief.text(t.id()) + "' " + field + " names itself");
        }
    }

    /** A cycle as a list of task ids whose last equals its first, if the graph has one. */
    static Optional<List<String>> findCycle(List<TaskSpec> tasks) {
        Map<String, TaskSpec> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        Map<String, Integer> color = new HashMap<>(); // absent = unvisited, 1 = on stack, 2 = done
        for (TaskSpec start : tasks) {
            if (color.containsKey(start.id())) {
                continue;
            }
            // Iterative DFS: deep DAGs (100k-task chains) must not overflow the stack.
            List<String> path = new ArrayList<>();
            List<java.util.Iterator<String>> iters = new ArrayList<>();
            path.add(start.id());
            iters.add(start.parents().iterator());
            color.put(start.id(), 1);
            while (!path.isEmpty()) {
                var it = iters.getLast();
                if (!it.hasNext()) {
                    color.put(path.removeLast(), 2);
                    iters.removeLast();
                    continue;
                }
                String next = it.next();
                Integer c = color.get(next);
                if (c == null) {
                    color.put(next, 1);
                    path.add(next);
                    iters.add(byId.get(next).parents().iterator());
                } else if (c == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                    cycle.add(next);
                    return Optional.of(cycle);
                }
            }
        }
        return Optional.empty();
    }

    private static void checkId(String field, String id, List<String> problems) {
        if (id == null || id.isEmpty()) {
            problems.add(field + " is missing");
        } else if (id.length() > JobLimits.MAX_ID_LENGTH) {
            problems.add(field + " is " + id.length() + " characters; the limit is " + JobLimits.MAX_ID_LENGTH);
        } else if (!ID.matcher(id).matches()) {
            problems.add(field + " = '" + Brief.text(id) + "' may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit");
        }
    }

    private static void checkLabels(Map<String, String> labels, List<String> problems) {
        if (labels.size() > JobLimits.MAX_LABELS) {
            problems.add("job has " + labels.size() + " labels; the limit is " + JobLimits.MAX_LABELS);
        }
        labels.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.length() > 100) {
                problems.add("label key '" + Brief.text(k) + "' must have 1 to 100 characters");
            }
            if (v == null || v.length() > 1000) {
                problems.add("label '" + Brief.text(k) + "' value must have 0 to 1000 characters");
            }
        });
    }
}
