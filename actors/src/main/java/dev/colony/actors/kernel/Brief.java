package dev.colony.actors.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Short, bounded renderings of user-supplied values for error messages and logs. A message never
 * holds more than {@link #MAX_CHARS} characters of one value, and rendering never recurses, so a
 * hostile value (megabytes long, or nested 100,000 deep) costs a bounded amount of work and stack.
 * Use it wherever a message quotes an id, a name or a parameter a user sent. Thread-safe.
 */
public final class Brief {

    /** Most characters of one value a message quotes. */
    public static final int MAX_CHARS = 80;

    private Brief() {
    }

    /** {@code text} itself when short, else its start and how long it is; "null" for null. */
    public static String text(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        return text.substring(0, MAX_CHARS) + "… (" + text.length() + " characters)";
    }

    /**
     * {@code value} as compact JSON, cut after about {@value #MAX_CHARS} characters with "…".
     * Iterative: only the part that is shown is visited.
     */
    public static String json(JsonNode value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        // Pending work: a container's remaining members (Members), a node, or literal text.
        ArrayDeque<Object> stack = new ArrayDeque<>();
        stack.push(value);
        while (!stack.isEmpty() && out.length() <= MAX_CHARS) {
            Object top = stack.pop();
            if (top instanceof String s) {
                out.append(s);
            } else if (top instanceof Members m) {
                if (m.rest.hasNext()) {
                    Object next = m.rest.next();
                    stack.push(m);
                    if (next instanceof Map.Entry<?, ?> e) {
                        stack.push(e.getValue());
                        stack.push(quote(String.valueOf(e.getKey())) + ":");
                    } else {
                        stack.push(next);
                    }
                    if (!m.first) {
                        stack.push(",");
                    }
                    m.first = false;
                }
            } else {
                appendNode((JsonNode) top, out, stack);
            }
        }
        return stack.isEmpty() && out.length() <= MAX_CHARS ? out.toString()
                : out.substring(0, Math.min(out.length(), MAX_CHARS)) + "…";
    }

    /** The members of an object or array still to be shown. */
    private static final class Members {
        final Iterator<?> rest;
        boolean first = true;

        Members(Iterator<?> rest) {
            this.rest = rest;
        }
    }

    private static void appendNode(JsonNode n, StringBuilder out, ArrayDeque<Object> stack) {
        if (n.isObject()) {
            out.append('{');
            stack.push("}");
            stack.push(new Members(n.properties().iterator()));
        } else if (n.isArray()) {
            out.append('[');
            stack.push("]");
            stack.push(new Members(n.elements()));
        } else if (n.isTextual()) {
            out.append(quote(n.textValue()));
        } else if (n.isBigInteger() || n.isBigDecimal()) {
            String digits = n.asText();
            out.append(digits.length() <= MAX_CHARS ? digits : digits.substring(0, 20) + "…(" + digits.length()
                    + " digits)");
        } else {
            out.append(n.asText());
        }
    }

    private static String quote(String s) {
        String cut = s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
        return '"' + cut.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"'
                + (cut.length() < s.length() ? "…" : "");
    }
}
