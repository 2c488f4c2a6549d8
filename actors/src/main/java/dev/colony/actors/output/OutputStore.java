package dev.colony.actors.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.colony.actors.job.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The node-local store of large task outputs: outputs up to {@code inlineLimitBytes} (CBOR-encoded)
 * stay inline in events and messages; larger ones are written to
 * {@code root/node/job/task/attempt.cbor} (temporary file, fsync, atomic rename) and referenced by
 * an {@link OutputRef} with their SHA-256, checked on every read. Files of different attempts never
 * collide, so a late result of a superseded attempt cannot overwrite the one that counts.
 *
 * <p>Thread safety: safe for concurrent use by kernel threads. The quota is enforced across them.
 */
public final class OutputStore {

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final String TMP_SUFFIX = ".tmp";

    private final Path root;
    private final long inlineLimitBytes;
    private final long quotaBytes;
    private final AtomicLong usedBytes = new AtomicLong();

    private OutputStore(Path root, long inlineLimitBytes, long quotaBytes) {
        this.root = root;
        this.inlineLimitBytes = inlineLimitBytes;
        this.quotaBytes = quotaBytes;
    }

    /** A store that keeps every output inline (no directory: in-memory journals, tests). */
    public static OutputStore inlineOnly() {
        return new OutputStore(null, Long.MAX_VALUE, 0);
    }

    /**
     * A store under {@code root}; leftovers of interrupted writes are deleted and the files already
     * there count toward {@code quotaBytes}.
     *
     * @throws UncheckedIOException when the directory cannot be created or scanned
     */
    public static OutputStore open(Path root, long inlineLimitBytes, long quotaBytes) {
        if (inlineLimitBytes < 0 || quotaBytes < 0) {
            throw new IllegalArgumentException("output store limits must be >= 0: inline-limit = " + inlineLimitBytes
                    + ", quota = " + quotaBytes);
        }
        OutputStore store = new OutputStore(root.toAbsolutePath().normalize(), inlineLimitBytes, quotaBytes);
        try {
            Files.createDirectories(store.root);
            try (Stream<Path> files = Files.walk(store.root)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (p.getFileName().toString().endsWith(TMP_SUFFIX)) {
                        Files.deleteIfExists(p);
                    } else {
                        store.usedBytes.addAndGet(Files.size(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the output store at " + store.root + ": " + e.getMessage(), e);
        }
        return store;
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
        String key = segment(node) + "/" + segment(jobId) + "/" + segment(taskId) + "/" + attempt + ".cbor";
        Path file = root.resolve(key);
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
            throw new OutputStoreException("cannot write the " + what + " to " + file + ": " + e, e);
        }
        return TaskOutput.stored(new OutputRef(node, key, bytes.length, sha256(bytes)));
    }

    /**
     * The value of {@code output}, read back from its file and checked against its size and SHA-256
     * when it is stored.
     *
     * @throws OutputStoreException when the file is missing, torn or altered
     */
    public JsonNode get(TaskOutput output) {
        if (!output.isStored()) {
            return output.value();
        }
        OutputRef ref = output.ref();
        if (root == null) {
            throw new OutputStoreException("output " + ref.key() + " of node '" + ref.node()
                    + "' cannot be read: this process has no output store (colony.persistence.journal = memory)");
        }
        Path file = root.resolve(ref.key()).normalize();
        if (!file.startsWith(root)) {
            throw new OutputStoreException("output key '" + ref.key() + "' points outside the output store");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OutputStoreException("output " + ref.key() + " of node '" + ref.node() + "' is not in the "
                    + "output store at " + root + " (it is on another machine, or was deleted)", e);
        } catch (IOException e) {
            throw new OutputStoreException("cannot read output " + file + ": " + e, e);
        }
        String sha = sha256(bytes);
        if (bytes.length != ref.bytes() || !sha.equals(ref.sha256())) {
            throw new OutputStoreException("output " + file + " is corrupt: expected " + ref.bytes() + " bytes with "
                    + "SHA-256 " + ref.sha256() + ", found " + bytes.length + " bytes with SHA-256 " + sha);
        }
        try {
            return CBOR.readTree(bytes);
        } catch (IOException e) {
            throw new OutputStoreException("output " + file + " passed its checksum but is not CBOR: " + e, e);
        }
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

    private static String segment(String name) {
        String s = URLEncoder.encode(name, StandardCharsets.UTF_8);
        return s.equals(".") || s.equals("..") ? "%2E" + s.substring(1) : s;
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The next open() removes leftovers.
        }
    }
}
