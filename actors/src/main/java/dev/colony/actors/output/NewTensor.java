package dev.colony.actors.output;

import dev.colony.gpu.Matrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A tensor output being written: a temporary file of the output store mapped into memory, which a
 * kernel (or the GPU bridge) writes as an ordinary off-heap {@link Matrix}. {@link #commit} makes it
 * durable (force, checksum, atomic rename) and returns its reference; {@link #discard} removes it.
 * Either releases the mapping, so the matrix must not be used afterwards.
 *
 * <p>Thread safety: the matrix may be written from any thread; commit or discard once, after.
 */
public final class NewTensor {

    private final OutputStore store;
    private final String node;
    private final String key;
    private final Path file;
    private final Path tmp;
    private final TensorShape shape;
    private final Arena arena = Arena.ofShared();
    private final Matrix matrix;
    private boolean ended;

    NewTensor(OutputStore store, String node, String key, Path file, TensorShape shape, String what)
            throws IOException {
        this.store = store;
        this.node = node;
        this.key = key;
        this.file = file;
        this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
        this.shape = shape;
        PrivateFiles.createDirectories(file.getParent());
        try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // Every block on disk before the mapping: a write into it can then never meet a full disk.
            store.disk().allocate(ch, tmp, shape.byteSize(), node, what);
            MemorySegment segment = ch.map(FileChannel.MapMode.READ_WRITE, 0, shape.byteSize(), arena);
            this.matrix = Matrix.wrap(segment, shape.type(), shape.rows(), shape.cols());
        } catch (IOException | RuntimeException e) {
            arena.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** The matrix to write, backed by the mapped file. */
    public Matrix matrix() {
        return matrix;
    }

    /** The tensor's element type and shape. */
    public TensorShape shape() {
        return shape;
    }

    /**
     * Forces the elements to disk, checksums them and renames the file into place.
     *
     * @throws OutputStoreException when the file cannot be written; then nothing of it is left
     */
    public TaskOutput commit() {
        end();
        try {
            MemorySegment segment = matrix.segment();
            segment.force();
            String crc = Checksums.crc32c(segment);
            arena.close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return TaskOutput.stored(new OutputRef(node, key, shape.byteSize(), null, crc, shape, store.servedFrom(),
                    store.capability(key)));
        } catch (IOException | RuntimeException e) {
            discardFile();
            throw new OutputStoreException("cannot write the tensor output " + key + ": " + e, e);
        }
    }

    /** Removes the file and gives its bytes back to the quota. */
    public void discard() {
        if (!ended) {
            end();
            discardFile();
        }
    }

    private void end() {
        if (ended) {
            throw new IllegalStateException("tensor output " + key + " was already committed or discarded");
        }
        ended = true;
    }

    private void discardFile() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
        store.release(shape.byteSize());
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The next open() removes leftovers.
        }
    }
}
