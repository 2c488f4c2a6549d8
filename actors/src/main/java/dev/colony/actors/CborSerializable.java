package dev.colony.actors;

/**
 * Marker for every message, event and state that crosses a node or reaches the journal; bound to
 * Akka's Jackson CBOR serializer in this module's {@code reference.conf}. Never Java
 * serialization.
 */
public interface CborSerializable {
}
