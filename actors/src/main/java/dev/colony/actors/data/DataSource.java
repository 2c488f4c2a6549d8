package dev.colony.actors.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** What a data plane serves: stored outputs by key, mapped read-only into memory. */
@FunctionalInterface
public interface DataSource {

    /**
     * Maps the output stored under {@code key} into {@code arena}.
     *
     * @throws IOException when there is no such output or it cannot be read
     */
    MemorySegment open(String key, Arena arena) throws IOException;
}
