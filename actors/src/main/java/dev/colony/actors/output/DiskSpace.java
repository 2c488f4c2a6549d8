package dev.colony.actors.output;

import dev.colony.actors.job.Bytes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The disk under the output store: checks that an output leaves {@code reserveBytes} free (the
 * journal and the system share the disk), and gives a file all its blocks before it is mapped, so
 * that writing the mapping can never meet a full disk (that ends the JVM with SIGBUS). Blocks come
 * from {@code posix_fallocate} through FFM where the C library has it, else by writing zeros.
 *
 * <p>Thread safety: stateless apart from settings; safe for concurrent use.
 */
final class DiskSpace {

    private static final int ENOSPC = 28;
    private static final int O_WRONLY = 1;
    private static final Optional<Natives> NATIVES = Natives.find();

    private final long reserveBytes;

    DiskSpace(long reserveBytes) {
        this.reserveBytes = reserveBytes;
    }

    /** The bytes the store leaves free on its disk. */
    long reserveBytes() {
        return reserveBytes;
    }

    /**
     * Throws when writing {@code bytes} into {@code dir} would leave less than the reserve free.
     *
     * @param what names the output and its node for the message
     */
    void check(Path dir, long bytes, String node, String what) {
        long free = free(dir);
        if (free >= 0 && free - bytes < reserveBytes) {
            throw full(node, what, bytes, free, dir);
        }
    }

    /**
     * Gives {@code file} (just created, empty) {@code bytes} of disk blocks.
     *
     * @throws OutputStoreException "disk full" when the disk has no room for them
     * @throws IOException          when the file cannot be extended for another reason
     */
    void allocate(FileChannel channel, Path file, long bytes, String node, String what) throws IOException {
        if (bytes == 0) {
            return;
        }
        if (NATIVES.isPresent()) {
            int error = NATIVES.get().fallocate(file, bytes);
            if (error == 0) {
                return;
            }
            if (error == ENOSPC) {
                throw full(node, what, bytes, free(file.getParent()), file.getParent());
            }
            // EOPNOTSUPP and the like: write the blocks instead
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try {
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                throw full(node, what, bytes, free(file.getParent()), file.getParent());
            }
            throw e;
        }
    }

    private OutputStoreException full(String node, String what, long bytes, long free, Path dir) {
        return new OutputStoreException("disk full on node '" + node + "' (need " + Bytes.format(bytes) + ", free "
                + Bytes.format(Math.max(0, free)) + ", keeping " + Bytes.format(reserveBytes) + " free: "
                + "colony.persistence.outputs.disk-reserve): the " + what + " cannot be stored under " + dir);
    }

    /** Usable bytes on the disk of {@code dir} (or its nearest existing parent); -1 when unknown. */
    static long free(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** {@code open}, {@code posix_fallocate} and {@code close} of the C library. */
    private record Natives(MethodHandle open, MethodHandle fallocate, MethodHandle close) {

        static Optional<Natives> find() {
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                MethodHandle open = linker.downcallHandle(lookup.find("open").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                MethodHandle fallocate = linker.downcallHandle(lookup.find("posix_fallocate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG));
                MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                return Optional.of(new Natives(open, fallocate, close));
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty(); // no such C library here: zeros are written instead
            }
        }

        /** posix_fallocate's result (0 or an error number); -1 when the file cannot be opened. */
        int fallocate(Path file, long bytes) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment path = arena.allocateFrom(file.toString());
                int fd = (int) open.invokeExact(path, O_WRONLY, 0);
                if (fd < 0) {
                    return -1;
                }
                try {
                    return (int) fallocate.invokeExact(fd, 0L, bytes);
                } finally {
                    int ignored = (int) close.invokeExact(fd);
                }
            } catch (Throwable e) {
                return -1;
            }
        }
    }
}
