package dev.colony.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JsonLimits;
import dev.colony.actors.kernel.Brief;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads a {@link JobSpec} from JSON. Errors name the source, line, column and field path, and for
 * an unknown field list the known ones; the spec is then validated like any other submission.
 * Thread-safe.
 */
public final class JobSpecReader {

    private static final ObjectMapper MAPPER = mapper(JsonLimits.DEFAULTS);

    /** Mappers for limits other than the defaults (a process has one or two). */
    private static final Map<JsonLimits, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

    /** Jackson's name for each read constraint → the setting that sets it. */
    private static final Map<String, String> LIMIT_KEYS = Map.of(
            "getMaxNestingDepth", "colony.jobs.json.max-depth",
            "getMaxNumberLength", "colony.jobs.json.max-number-length",
            "getMaxStringLength", "colony.jobs.json.max-string-length",
            "getMaxNameLength", "colony.jobs.json.max-string-length",
            "getMaxTokenCount", "colony.jobs.json.max-tokens");

    private static ObjectMapper mapper(JsonLimits limits) {
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits.constraints()).build())
                // A number where a string belongs (an id, an input) and a fraction where a whole number
                // belongs (gpus: 0.5 would run with none) are errors, not quietly converted.
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.Fail))
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** A spec that could not be read; the message says where and why. */
    public static final class FormatException extends IllegalArgumentException {
        FormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JobSpecReader() {
    }

    /** Reads the job in file {@code path} within the default limits. */
    public static JobSpec read(Path path) {
        return read(path, JsonLimits.DEFAULTS);
    }

    /** Reads the job in file {@code path} within {@code limits}. */
    public static JobSpec read(Path path, JsonLimits limits) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new FormatException(path + ": no such file", e);
        } catch (IOException e) {
            throw new FormatException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, path.toString(), limits);
    }

    /** Parses {@code json} within the default limits; {@code source} names it in errors (a file name, "request body"). */
    public static JobSpec parse(String json, String source) {
        return parse(json, source, JsonLimits.DEFAULTS);
    }

    /**
     * Parses {@code json}, stopping at the first token past {@code limits} (the error names the
     * setting); {@code source} names it in errors. Errors quote no more than a short piece of the input.
     */
    public static JobSpec parse(String json, String source, JsonLimits limits) {
        ObjectMapper mapper = limits.equals(JsonLimits.DEFAULTS) ? MAPPER : MAPPERS.computeIfAbsent(limits,
                JobSpecReader::mapper);
        try {
            JobSpec spec = mapper.readValue(json, JobSpec.class);
            if (spec == null) {
                throw new FormatException(source + ": the document is null; expected a job object", null);
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw new FormatException(describe(e, source), e);
        }
    }

    /** Writes {@code spec} as indented JSON. */
    public static String write(JobSpec spec) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(JsonProcessingException e, String source) {
        JsonLocation at = e.getLocation();
        String where = source + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr());
        StreamConstraintsException limit = constraintOf(e);
        if (limit != null) {
            String key = LIMIT_KEYS.entrySet().stream().filter(k -> limit.getOriginalMessage().contains(k.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse("colony.jobs.json");
            String what = limit.getOriginalMessage().replaceFirst(", from .*\\)", ")");
            return where + ": " + what + " (" + key + ")";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; known fields: " + u.getKnownPropertyIds().stream()
                    .map(Object::toString).collect(Collectors.toCollection(TreeSet::new));
            return where + ": unknown field '" + Brief.text(u.getPropertyName()) + "'" + path(u, true) + known;
        }
        if (e instanceof JsonParseException || e.getCause() instanceof JsonParseException) {
            String path = e instanceof JsonMappingException m ? path(m, false) : "";
            String msg = e.getCause() instanceof JsonParseException p ? p.getOriginalMessage() : e.getOriginalMessage();
            return where + ": malformed JSON" + path + ": " + capped(msg);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + ": " + path(m, false).replaceFirst("^ at ", "field ") + ": expected " + kind(m.getTargetType())
                    + given(m);
        }
        if (e instanceof JsonMappingException m) {
            return where + ": " + path(m, false).replaceFirst("^ at ", "field ") + ": "
                    + capped(withoutJavaNames(m.getOriginalMessage()));
        }
        return where + ": malformed JSON: " + capped(e.getOriginalMessage());
    }

    /** What a field of {@code type} holds, in JSON's words. */
    private static String kind(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return type.isArray() || java.util.Collection.class.isAssignableFrom(type) ? "an array" : "an object";
    }

    /** Jackson's "Cannot coerce Integer value (42) to `java.lang.String` value": the value given. */
    private static final java.util.regex.Pattern COERCED =
            java.util.regex.Pattern.compile("^Cannot coerce [\\w-]+ value \\(([^)]{0,80})\\)");

    /** ", not X" with the value given (a scalar as Jackson quotes it, else its kind), when it can say. */
    private static String given(MismatchedInputException m) {
        var quoted = COERCED.matcher(String.valueOf(m.getOriginalMessage()));
        if (quoted.find()) {
            return ", not " + quoted.group(1).replace('"', '\'');
        }
        if (m.getProcessor() instanceof JsonParser p && p.currentToken() != null) {
            return switch (p.currentToken()) {
                case START_OBJECT -> ", not an object";
                case START_ARRAY -> ", not an array";
                case VALUE_NULL -> ", not null";
                case VALUE_TRUE, VALUE_FALSE -> ", not " + p.currentToken().asString();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ", not a number";
                case VALUE_STRING -> ", not a string";
                default -> "";
            };
        }
        return "";
    }

    /** Jackson's text without Java class names ({@code `java.lang.String`} becomes {@code String}). */
    private static String withoutJavaNames(String message) {
        return message == null ? null : message.replaceAll("`(?:[a-z_$][\\w$]*\\.)+([A-Za-z_$][\\w$]*)`", "$1")
                .replaceAll("(?:[a-z_$][\\w$]*\\.){2,}([A-Z][\\w$]*)", "$1");
    }

    /** Jackson's own text, which may quote the input, cut to a few hundred characters. */
    private static String capped(String message) {
        return message == null || message.length() <= 300 ? message : message.substring(0, 300) + "…";
    }

    private static StreamConstraintsException constraintOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException c) {
                return c;
            }
        }
        return null;
    }

    /** The field path like {@code tasks[2].resources}, dropping the last element for unknown fields. */
    private static String path(JsonMappingException e, boolean dropLast) {
        var refs = e.getPath();
        int n = dropLast ? refs.size() - 1 : refs.size();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            var r = refs.get(i);
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(Brief.text(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "" : " at " + sb;
    }
}
