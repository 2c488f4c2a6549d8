package dev.colony.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.colony.actors.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * One task of a job: which kernel to run with which parameters, whose outputs it consumes and
 * what it needs from a node. Fields that are {@code null} take defaults when the job is accepted
 * (see {@link JobValidator}).
 *
 * @param id          unique within the job; letters, digits, {@code . _ -}
 * @param kernel      name of a registered {@link dev.colony.actors.kernel.Kernel}
 * @param params      kernel parameters (a JSON object), {@code {}} when absent
 * @param inputs      input name → id of the task whose output feeds it; each is also a dependency
 * @param resources   what one attempt needs; {@code null} takes the kernel's hint
 * @param dependsOn   further tasks that must succeed first (ordering only, no data)
 * @param maxAttempts how many times the kernel may run before the task fails; {@code null} = default
 * @param timeoutMs   how long one attempt may run before it is cancelled; {@code null} = default
 */
public record TaskSpec(
        String id,
        String kernel,
        JsonNode params,
        Map<String, String> inputs,
        ResourceRequest resources,
        List<String> dependsOn,
        Integer maxAttempts,
        Long timeoutMs) implements CborSerializable {

    /** Replaces absent collections with empty ones so the rest of the code never sees null. */
    public TaskSpec {
        params = params == null ? JsonNodeFactory.instance.objectNode() : params;
        // Null elements are kept so that validation can name them instead of failing here.
        inputs = inputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        dependsOn = dependsOn == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(dependsOn));
    }

    /** A task with only an id, a kernel and its parameters. */
    public static TaskSpec of(String id, String kernel, JsonNode params) {
        return new TaskSpec(id, kernel, params, null, null, null, null, null);
    }

    /**
     * A task with only an id, a kernel and its parameters given as a map, e.g.
     * {@code TaskSpec.of("t1", "spin", Map.of("work", 50))}.
     */
    public static TaskSpec of(String id, String kernel, Map<String, ?> params) {
        return of(id, kernel, (JsonNode) PARAMS_MAPPER.valueToTree(params));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PARAMS_MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Every task this one waits for: its inputs' producers and its {@code dependsOn}. */
    public java.util.Set<String> parents() {
        if (dependsOn.isEmpty() && inputs.isEmpty()) {
            return java.util.Set.of(); // most tasks of a wide job: no set made for each question
        }
        var all = new java.util.LinkedHashSet<String>(dependsOn);
        all.addAll(inputs.values());
        return all;
    }

    /** A copy with other dependencies. */
    public TaskSpec withDependsOn(List<String> deps) {
        return new TaskSpec(id, kernel, params, inputs, resources, deps, maxAttempts, timeoutMs);
    }

    /** A copy with other inputs. */
    public TaskSpec withInputs(Map<String, String> in) {
        return new TaskSpec(id, kernel, params, in, resources, dependsOn, maxAttempts, timeoutMs);
    }

    /** A copy with other resources. */
    public TaskSpec withResources(ResourceRequest r) {
        return new TaskSpec(id, kernel, params, inputs, r, dependsOn, maxAttempts, timeoutMs);
    }

    /** A copy with another attempt limit. */
    public TaskSpec withMaxAttempts(int n) {
        return new TaskSpec(id, kernel, params, inputs, resources, dependsOn, n, timeoutMs);
    }

    /** A copy with another attempt timeout. */
    public TaskSpec withTimeoutMs(long ms) {
        return new TaskSpec(id, kernel, params, inputs, resources, dependsOn, maxAttempts, ms);
    }
}
