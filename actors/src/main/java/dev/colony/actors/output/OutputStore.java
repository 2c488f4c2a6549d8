package dev.colony.actors.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.colony.actors.data.DataEndpoint;
import dev.colony.actors.data.DataPlane;
import dev.colony.actors.data.FetchException;
import dev.colony.actors.job.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The process-local store of large task outputs: outputs up to {@code inlineLimitBytes} (CBOR-encoded)
 * stay inline in events and messages; larger ones are written to
 * {@code root/node/job/task/attempt.cbor} (temporary file, fsync, atomic rename), and tensor outputs
 * ({@link #newTensor}) to {@code .tensor} files the kernel writes through a mapping. Each is
 * referenced by an {@link OutputRef} with its checksum, checked on every read, and the data plane
 * that serves it ({@link #attach}): a process that does not hold the file fetches it from there.
 * Files of different attempts never collide, so a late result of a superseded attempt cannot
 * overwrite the one that counts.
 *
 * <p>Thread safety: safe for concurrent use by kernel threads. The quota is enforced across them.
 */
public final class OutputStore {

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final String TMP_SUFFIX = ".tmp";

    private final Path root;
    private final long inlineLimitBytes;
    private final long quotaBytes;
    private final DiskSpace disk;
    private final AtomicLong usedBytes = new AtomicLong();
    private volatile DataPlane plane;

    private OutputStore(Path root, long inlineLimitBytes, long quotaBytes, long diskReserveBytes) {
        this.root = root;
        this.inlineLimitBytes = inlineLimitBytes;
        this.quotaBytes = quotaBytes;
        this.disk = new DiskSpace(diskReserveBytes);
    }

    /** A store that keeps every output inline (no directory: in-memory journals, tests). */
    public static OutputStore inlineOnly() {
        return new OutputStore(null, Long.MAX_VALUE, 0, 0);
    }

    /** A store under {@code root} that leaves no disk space in reserve (tests). */
    public static OutputStore open(Path root, long inlineLimitBytes, long quotaBytes) {
        return open(root, inlineLimitBytes, quotaBytes, 0);
    }

    /**
     * A store under {@code root}; leftovers of interrupted writes are deleted and the files already
     * there count toward {@code quotaBytes}. An output that would leave less than
     * {@code diskReserveBytes} free on the disk fails ("disk full"), so that outputs never take the
     * space the journal needs.
     *
     * @throws UncheckedIOException when the directory cannot be created or scanned
     */
    public static OutputStore open(Path root, long inlineLimitBytes, long quotaBytes, long diskReserveBytes) {
        return open(root, inlineLimitBytes, quotaBytes, 0, diskReserveBytes);
    }

    /**
     * A store under {@code root} whose quota is {@code quotaPercent} of what it may use: the files
     * already in it and the free space of its disk; otherwise as {@link #open(Path, long, long, long)}.
     */
    public static OutputStore openSharing(Path root, long inlineLimitBytes, int quotaPercent, long diskReserveBytes) {
        if (quotaPercent < 1 || quotaPercent > 100) {
            throw new IllegalArgumentException("colony.persistence.outputs.quota = " + quotaPercent
                    + "% must lie in 1%..100%");
        }
        return open(root, inlineLimitBytes, -1, quotaPercent, diskReserveBytes);
    }

    private static OutputStore open(Path root, long inlineLimitBytes, long quotaBytes, int quotaPercent,
                                    long diskReserveBytes) {
        if (inlineLimitBytes < 0 || (quotaBytes < 0 && quotaPercent == 0) || diskReserveBytes < 0) {
            throw new IllegalArgumentException("output store limits must be >= 0: inline-limit = " + inlineLimitBytes
                    + ", quota = " + quotaBytes + ", disk-reserve = " + diskReserveBytes);
        }
        Path dir = root.toAbsolutePath().normalize();
        long existing = 0;
        try {
            PrivateFiles.createDirectories(dir);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (p.getFileName().toString().endsWith(TMP_SUFFIX)) {
                        Files.deleteIfExists(p);
                    } else {
                        existing += Files.size(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the output store at " + dir + ": " + e.getMessage(), e);
        }
        long quota = quotaPercent == 0 ? quotaBytes
                : (long) ((existing + Math.max(0, DiskSpace.free(dir))) * (quotaPercent / 100.0));
        OutputStore store = new OutputStore(dir, inlineLimitBytes, quota, diskReserveBytes);
        store.usedBytes.set(existing);
        return store;
    }

    /** Most bytes this store may hold. */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** Bytes of stored outputs. */
    public long usedBytes() {
        return usedBytes.get();
    }

    /**
     * The output of attempt {@code attempt} of task {@code taskId} of job {@code jobId} run on
     * {@code node}: inline when small, else written to a file.
     *
     * @throws OutputStoreException when the file would exceed the quota or cannot be written; then
     *                              nothing of it is left behind
     */
    public TaskOutput put(String node, String jobId, String taskId, int attempt, JsonNode value) {
        if (root == null) {
            return TaskOutput.inline(value);
        }
        byte[] bytes = encode(value);
        if (bytes.length <= inlineLimitBytes) {
            return TaskOutput.inline(value);
        }
        String what = "output of task '" + taskId + "' (job '" + jobId + "', attempt " + attempt + ")";
        reserve(bytes.length, what, node);
        try {
            disk.check(root, bytes.length, node, what);
        } catch (OutputStoreException e) {
            release(bytes.length);
            throw e;
        }
        String key = segment(node) + "/" + segment(jobId) + "/" + segment(taskId) + "/" + attempt + ".cbor";
        Path file = root.resolve(key);
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try {
            PrivateFiles.createDirectories(file.getParent());
            try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            usedBytes.addAndGet(-bytes.length);
            deleteQuietly(tmp);
            long free = DiskSpace.free(root);
            throw new OutputStoreException(free >= 0 && free < bytes.length + disk.reserveBytes() ? "disk full on node '"
                    + node + "' (need " + Bytes.format(bytes.length) + ", free " + Bytes.format(free) + "): the " + what
                    + " cannot be stored under " + root : "cannot write the " + what + " to " + file + ": " + e, e);
        }
        return TaskOutput.stored(new OutputRef(node, key, bytes.length, Checksums.sha256(bytes), null, null, servedFrom(),
                capability(key)));
    }

    /**
     * The value of {@code output}: read back from its file (here, or fetched over the data plane from
     * the process that stored it) and checked against its size and checksum. A tensor appears as its
     * description ({@link TensorShape#describe}); read its elements with {@link #segment}.
     *
     * @throws OutputStoreException when the file is missing, torn or altered, or cannot be fetched
     */
    public JsonNode get(TaskOutput output) {
        if (!output.isStored()) {
            return output.value();
        }
        OutputRef ref = output.ref();
        if (ref.holdsTensor()) {
            return ref.tensor().describe(ref.node(), ref.bytes());
        }
        try (Arena arena = Arena.ofShared()) {
            byte[] bytes = segment(ref, arena).toArray(ValueLayout.JAVA_BYTE);
            return CBOR.readTree(bytes);
        } catch (IOException e) {
            throw new OutputStoreException("output " + ref.key() + " passed its checksum but is not CBOR: " + e, e);
        }
    }

    /**
     * The bytes of the stored output {@code ref} in {@code arena}: its file mapped read-only when it
     * lies in this store, else fetched over the data plane from {@code ref.from()} straight into
     * off-heap memory; either way checked against size and checksum.
     *
     * @throws OutputLostException  when its producer cannot serve it or it fails its checksum
     * @throws OutputStoreException when it is not here and this process cannot fetch it
     */
    public MemorySegment segment(OutputRef ref, Arena arena) {
        MemorySegment bytes = local(ref, arena);
        if (bytes == null) {
            bytes = fetch(ref, arena);
        }
        boolean tensor = ref.holdsTensor();
        String found = tensor ? Checksums.crc32c(bytes) : Checksums.sha256(bytes);
        String expected = tensor ? ref.crc32c() : ref.sha256();
        if (bytes.byteSize() != ref.bytes() || !found.equals(expected)) {
            throw new OutputLostException(ref, "output " + ref.key() + " of node '" + ref.node() + "' is corrupt: expected "
                    + ref.bytes() + " bytes with " + (tensor ? "CRC-32C " : "SHA-256 ") + expected + ", found "
                    + bytes.byteSize() + " bytes with " + found, null);
        }
        return bytes;
    }

    /** The file of {@code ref} mapped read-only, or null when this store does not hold it. */
    private MemorySegment local(OutputRef ref, Arena arena) {
        if (root == null) {
            return null;
        }
        try {
            return map(ref.key(), arena);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new OutputStoreException("cannot read output " + ref.key() + ": " + e, e);
        }
    }

    private MemorySegment fetch(OutputRef ref, Arena arena) {
        DataPlane p = plane;
        String where = "output " + ref.key() + " of node '" + ref.node() + "'";
        if (ref.from() == null && root != null) { // its producer had no data plane: here was its only place
            throw new OutputLostException(ref, where + " is not in the output store at " + root + " (and its producer "
                    + "had no data plane to serve it)", null);
        }
        if (ref.from() == null || p == null) {
            throw new OutputStoreException(where + " is not in " + (root == null ? "this process (it has no output store: "
                    + "colony.persistence.journal = memory)" : "the output store at " + root) + " and this process has "
                    + "no data plane to fetch it (colony.data.enabled)");
        }
        try {
            return p.fetch(ref.from(), ref.key(), ref.capability(), ref.bytes(), arena);
        } catch (FetchException e) {
            throw new OutputLostException(ref, where + " cannot be fetched from " + ref.from() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputStoreException("fetching " + where + " was interrupted", e);
        }
    }

    /**
     * Maps the stored file {@code key} read-only into {@code arena} (what the data plane serves).
     *
     * @throws NoSuchFileException when there is no such file
     * @throws IOException         when it cannot be read, or the key leaves the store
     */
    public MemorySegment map(String key, Arena arena) throws IOException {
        if (root == null) {
            throw new NoSuchFileException(key + " (this process has no output store)");
        }
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || key.endsWith(TMP_SUFFIX)) {
            throw new IOException("output key '" + key + "' points outside the output store");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    /**
     * Starts a tensor output of attempt {@code attempt} of task {@code taskId}: a file of
     * {@code shape.byteSize()} bytes, counted against the quota, mapped for the kernel to write.
     *
     * @throws OutputStoreException when this process has no store, the quota would be exceeded or
     *                              the file cannot be created
     */
    public NewTensor newTensor(String node, String jobId, String taskId, int attempt, TensorShape shape) {
        if (root == null) {
            throw new OutputStoreException("tensor outputs need an output store (colony.persistence.journal = memory"
                    + " has none)");
        }
        String what = "tensor output of task '" + taskId + "' (job '" + jobId + "', attempt " + attempt + ")";
        reserve(shape.byteSize(), what, node);
        String key = segment(node) + "/" + segment(jobId) + "/" + segment(taskId) + "/" + attempt + ".tensor";
        try {
            disk.check(root, shape.byteSize(), node, what);
            return new NewTensor(this, node, key, root.resolve(key), shape, what);
        } catch (IOException e) {
            release(shape.byteSize());
            throw new OutputStoreException("cannot create the " + what + ": " + e, e);
        } catch (OutputStoreException e) {
            release(shape.byteSize());
            throw e;
        }
    }

    /** The store's directory, or null without one. */
    Path root() {
        return root;
    }

    /** The disk under this store. */
    DiskSpace disk() {
        return disk;
    }

    /** Whether this store writes files (false: memory journal, everything inline). */
    public boolean storesFiles() {
        return root != null;
    }

    /** Serves this store's files to other processes through {@code plane}, and fetches theirs through it. */
    public void attach(DataPlane plane) {
        this.plane = plane;
    }

    /** The capability of output {@code key} on this store's data plane, or null without one. */
    String capability(String key) {
        DataPlane p = plane;
        return p == null ? null : p.capability(key);
    }

    /** The data plane serving this store, or null. */
    DataEndpoint servedFrom() {
        DataPlane p = plane;
        return p == null ? null : p.endpoint();
    }

    void release(long bytes) {
        usedBytes.addAndGet(-bytes);
    }

    private void reserve(long bytes, String what, String node) {
        while (true) {
            long used = usedBytes.get();
            if (used + bytes > quotaBytes) {
                throw new OutputStoreException("the " + what + " is " + Bytes.format(bytes) + ", more than node '"
                        + node + "' has left in its output store: " + Bytes.format(used) + " of "
                        + Bytes.format(quotaBytes) + " used (colony.persistence.outputs.quota)");
            }
            if (usedBytes.compareAndSet(used, used + bytes)) {
                return;
            }
        }
    }

    private static byte[] encode(JsonNode value) {
        try {
            return CBOR.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new OutputStoreException("cannot encode an output as CBOR: " + e, e);
        }
    }

    /** The directory name of {@code name} (a node, job or task) in the store. */
    static String segment(String name) {
        String s = URLEncoder.encode(name, StandardCharsets.UTF_8);
        return s.equals(".") || s.equals("..") ? "%2E" + s.substring(1) : s;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The next open() removes leftovers.
        }
    }
}
