package dev.colony.actors.node;

import dev.colony.actors.data.DataEndpoint;
import dev.colony.actors.output.OutputLostException;
import dev.colony.actors.output.OutputRef;
import dev.colony.actors.output.TaskOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An attempt could not read input {@code name}: its producer can no longer serve it. The inputs
 * stored by the same producer process are counted lost with it, untried (each would wait out the
 * same dead peer), so that the job makes them all again in one go.
 */
final class InputsLost extends RuntimeException {

    private final List<String> names;

    InputsLost(Map<String, TaskOutput> inputs, String name, OutputLostException cause) {
        super("input '" + name + "': " + cause.getMessage(), cause);
        DataEndpoint from = cause.ref().from();
        List<String> lost = new ArrayList<>(List.of(name));
        inputs.forEach((other, in) -> {
            if (!other.equals(name) && in.isStored() && sameProducer(in.ref(), cause.ref(), from)) {
                lost.add(other);
            }
        });
        this.names = List.copyOf(lost);
    }

    private static boolean sameProducer(OutputRef ref, OutputRef lost, DataEndpoint from) {
        return from != null ? from.equals(ref.from()) : Objects.equals(ref.node(), lost.node());
    }

    /** The names of the inputs lost. */
    List<String> names() {
        return names;
    }
}
