package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks kernel parameters with messages that name the parameter, the value and the
 * limit. Collects problems instead of throwing so a job's every mistake is reported at once.
 */
public final class Params {

    private final String kernel;
    private final JsonNode params;
    private final List<String> problems = new ArrayList<>();

    private Params(String kernel, JsonNode params) {
        this.kernel = kernel;
        this.params = params;
    }

    /** Starts checking {@code params} of {@code kernel}; a non-object is itself a problem. */
    public static Params check(String kernel, JsonNode params) {
        Params p = new Params(kernel, params);
        if (params != null && !params.isObject() && !params.isNull() && !params.isMissingNode()) {
            p.problems.add("params of kernel '" + kernel + "' must be a JSON object, got " + params.getNodeType());
        }
        return p;
    }

    /** Reports any parameter not in {@code known}. */
    public Params allowOnly(Set<String> known) {
        if (params != null && params.isObject()) {
            params.fieldNames().forEachRemaining(name -> {
                if (!known.contains(name)) {
                    problems.add("kernel '" + kernel + "' has no parameter '" + Brief.text(name) + "'; known: "
                            + String.join(", ", new java.util.TreeSet<>(known)));
                }
            });
        }
        return this;
    }

    /** Checks that integer parameter {@code name}, when present, lies in [min, max]. */
    public Params longInRange(String name, long min, long max) {
        JsonNode v = field(name);
        if (v != null && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max)) {
            problems.add("kernel '" + kernel + "' parameter '" + name + "' = " + v + " must be an integer in ["
                    + min + ", " + max + "]");
        }
        return this;
    }

    /** Checks that numeric parameter {@code name}, when present, lies in [min, max]. */
    public Params doubleInRange(String name, double min, double max) {
        JsonNode v = field(name);
        if (v != null && (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max))) {
            problems.add("kernel '" + kernel + "' parameter '" + name + "' = " + v + " must be a number in ["
                    + min + ", " + max + "]");
        }
        return this;
    }

    /** Checks that parameter {@code name}, when present, is one of {@code allowed}. */
    public Params oneOf(String name, Set<String> allowed) {
        JsonNode v = field(name);
        if (v != null && (!v.isTextual() || !allowed.contains(v.asText()))) {
            problems.add("kernel '" + kernel + "' parameter '" + name + "' = " + v + " must be one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return this;
    }

    /** Checks that parameter {@code name} is present. */
    public Params required(String name) {
        if (field(name) == null) {
            problems.add("kernel '" + kernel + "' needs parameter '" + name + "'");
        }
        return this;
    }

    /** Adds a problem of the caller's own. */
    public Params problemIf(boolean condition, String message) {
        if (condition) {
            problems.add(message);
        }
        return this;
    }

    /** The problems found, in order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Integer parameter {@code name}, or {@code fallback} when absent. */
    public static long longOr(JsonNode params, String name, long fallback) {
        JsonNode v = params == null ? null : params.get(name);
        return v == null || v.isNull() ? fallback : v.asLong();
    }

    /** Numeric parameter {@code name}, or {@code fallback} when absent. */
    public static double doubleOr(JsonNode params, String name, double fallback) {
        JsonNode v = params == null ? null : params.get(name);
        return v == null || v.isNull() ? fallback : v.asDouble();
    }

    /** Text parameter {@code name}, or {@code fallback} when absent. */
    public static String textOr(JsonNode params, String name, String fallback) {
        JsonNode v = params == null ? null : params.get(name);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private JsonNode field(String name) {
        if (params == null || !params.isObject()) {
            return null;
        }
        JsonNode v = params.get(name);
        return v == null || v.isNull() ? null : v;
    }
}
