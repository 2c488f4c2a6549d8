package dev.colony.actors.job;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * How large and how deep a job spec's JSON may be, {@code colony.jobs.json.*}. A parser built with
 * {@link #constraints()} stops at the first token past a limit, so a hostile document costs no more
 * than a legal one of the same size; {@link #check(JsonNode)} applies the same depth and size limits,
 * without recursion, to parameters a program built itself.
 *
 * @param maxDepth        deepest nesting of arrays and objects in a document
 * @param maxNumberLength longest number literal, in characters
 * @param maxStringLength longest string value, in characters
 * @param maxTokens       most tokens (values, field names, brackets) in one document
 */
public record JsonLimits(int maxDepth, int maxNumberLength, int maxStringLength, long maxTokens) {

    /** The defaults of {@code reference.conf}. */
    public static final JsonLimits DEFAULTS = new JsonLimits(64, 1_000, 1_000_000, 5_000_000);

    /** Checks the values, naming the key. */
    public JsonLimits {
        positive("max-depth", maxDepth);
        positive("max-number-length", maxNumberLength);
        positive("max-string-length", maxStringLength);
        positive("max-tokens", maxTokens);
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("colony.jobs.json." + key + " = " + value + " must be positive");
        }
    }

    /** Jackson's read constraints for these limits. */
    public StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(maxDepth).maxNumberLength(maxNumberLength)
                .maxStringLength(maxStringLength).maxNameLength(maxStringLength).maxTokenCount(maxTokens).build();
    }

    /**
     * Why {@code value} is over a limit (too deep, too many nodes, a string too long), or empty.
     * Walks the tree with an explicit stack: never recurses, however deep the value.
     */
    public Optional<String> check(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(value);
        depths.push(0);
        long seen = 0;
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int depth = depths.pop();
            if (++seen > maxTokens) {
                return Optional.of("has more than " + maxTokens + " values (colony.jobs.json.max-tokens)");
            }
            if (n.isContainerNode()) {
                if (depth + 1 > maxDepth) {
                    return Optional.of("nests deeper than " + maxDepth + " levels (colony.jobs.json.max-depth)");
                }
                for (JsonNode child : n) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
                if (n.isObject()) {
                    for (var field : n.properties()) {
                        String name = field.getKey();
                        if (name.length() > maxStringLength) {
                            return Optional.of("has a field name of " + name.length() + " characters; the limit is "
                                    + maxStringLength + " (colony.jobs.json.max-string-length)");
                        }
                    }
                }
            } else if (n.isTextual() && n.textValue().length() > maxStringLength) {
                return Optional.of("has a string of " + n.textValue().length() + " characters; the limit is "
                        + maxStringLength + " (colony.jobs.json.max-string-length)");
            }
        }
        return Optional.empty();
    }
}
