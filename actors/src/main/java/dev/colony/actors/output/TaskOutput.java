package dev.colony.actors.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import java.util.Objects;

/**
 * A task's output as events and messages carry it: the value itself when it is small, else a
 * reference to the file an {@link OutputStore} wrote. Exactly one of the two is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskOutput(JsonNode value, OutputRef ref) implements CborSerializable {

    /** Checks that exactly one of value and ref is set. */
    public TaskOutput {
        if ((value == null) == (ref == null)) {
            throw new IllegalArgumentException("a task output holds either a value or a reference, not "
                    + (value == null ? "neither" : "both"));
        }
    }

    /** An output carried inline. */
    public static TaskOutput inline(JsonNode value) {
        return new TaskOutput(Objects.requireNonNull(value, "value"), null);
    }

    /** An output stored in a file. */
    public static TaskOutput stored(OutputRef ref) {
        return new TaskOutput(null, Objects.requireNonNull(ref, "ref"));
    }

    /** Whether the value lies in an output store. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isStored() {
        return ref != null;
    }
}
