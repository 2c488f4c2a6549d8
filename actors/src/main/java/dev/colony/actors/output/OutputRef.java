package dev.colony.actors.output;

import dev.colony.actors.CborSerializable;

/**
 * Where a large task output lies: a file in the {@link OutputStore} of node {@code node}, keyed by
 * (job, task, attempt), with its size and SHA-256 so that a torn or altered file is never read back.
 *
 * @param key    path of the file relative to the store's root ({@code node/job/task/attempt.cbor})
 * @param bytes  size of the CBOR-encoded output
 * @param sha256 hex SHA-256 of those bytes
 */
public record OutputRef(String node, String key, long bytes, String sha256) implements CborSerializable {
}
