package dev.colony.actors.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.data.DataEndpoint;

/**
 * Where a large task output lies: a file in the {@link OutputStore} of node {@code node}, keyed by
 * (job, task, attempt), with its size and checksum so that a torn or altered file is never read
 * back, and the data plane that serves it to other processes.
 *
 * @param key    path of the file relative to the store's root ({@code node/job/task/attempt.cbor}
 *               or {@code .tensor})
 * @param bytes  size of the file
 * @param sha256 hex SHA-256 of a CBOR-encoded output; null for a tensor
 * @param crc32c hex CRC-32C of a tensor's raw elements; null for a CBOR output
 * @param tensor shape of a tensor output; null for a CBOR output
 * @param from   the producing process's data plane; null when it had none (one process)
 * @param capability what a fetch from {@code from} must carry ({@link dev.colony.actors.data.Capabilities});
 *                   null without a data plane
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputRef(String node, String key, long bytes, String sha256, String crc32c, TensorShape tensor,
                        DataEndpoint from, String capability) implements CborSerializable {

    /** A reference to an output no data plane serves. */
    public OutputRef(String node, String key, long bytes, String sha256, String crc32c, TensorShape tensor,
                     DataEndpoint from) {
        this(node, key, bytes, sha256, crc32c, tensor, from, null);
    }

    /** Whether the file holds a tensor's raw elements rather than CBOR. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean holdsTensor() {
        return tensor != null;
    }
}
