/**
 * The data plane: large task outputs move between node processes over Aeron, straight from the
 * producer's memory-mapped output file into a {@link java.lang.foreign.MemorySegment} on the
 * consumer, without passing through the Java heap. {@link dev.colony.actors.data.DataPlane} is one
 * per process: it serves the outputs its output store holds and fetches those other processes hold.
 */
package dev.colony.actors.data;
