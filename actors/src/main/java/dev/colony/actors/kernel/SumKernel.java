package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds numbers: the {@code values} parameter (an array) plus every numeric input. An input that
 * is an object contributes its {@code value} field; anything else is an error naming the input.
 */
public final class SumKernel implements Kernel {

    @Override
    public String name() {
        return "sum";
    }

    @Override
    public String description() {
        return "adds the numbers in param 'values' and in its inputs";
    }

    @Override
    public List<String> validate(JsonNode params) {
        JsonNode values = params == null ? null : params.get("values");
        boolean bad = values != null && !values.isNull()
                && (!values.isArray() || java.util.stream.StreamSupport.stream(values.spliterator(), false)
                        .anyMatch(v -> !v.isNumber()));
        return Params.check(name(), params).allowOnly(Set.of("values"))
                .problemIf(bad, "kernel 'sum' parameter 'values' = " + values + " must be an array of numbers")
                .problems();
    }

    @Override
    public JsonNode run(TaskContext context, Map<String, JsonNode> inputs) {
        double total = 0;
        JsonNode values = context.params().get("values");
        if (values != null) {
            for (JsonNode v : values) {
                total += v.asDouble();
            }
        }
        for (var in : new java.util.TreeMap<>(inputs).entrySet()) {
            total += numberOf(in.getKey(), in.getValue());
        }
        return DoubleNode.valueOf(total);
    }

    private static double numberOf(String input, JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isObject() && value.path("value").isNumber()) {
            return value.get("value").asDouble();
        }
        throw new IllegalArgumentException("sum: input '" + input + "' is not a number (nor an object with a numeric 'value'): "
                + abbreviate(value.toString()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
