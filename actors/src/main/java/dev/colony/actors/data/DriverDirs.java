package dev.colony.actors.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directories of the embedded media drivers this program starts ({@code /dev/shm/aeron-USER-UUID}
 * by default). Aeron deletes one when its driver closes; a process killed with {@code kill -9} leaves
 * it behind (tens of MiB of term buffers in shared memory). Each driver's directory therefore holds
 * the pid of the process that owns it, and a starting data plane deletes the directories whose
 * owner is no longer alive. Directories without that file (other programs', Artery's) are never touched.
 */
final class DriverDirs {

    static final String OWNER_FILE = "colony-owner.pid";
    private static final Pattern UUID_SUFFIX = Pattern.compile("-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private DriverDirs() {
    }

    /**
     * Records this process as the owner of the driver directory {@code dir}; answers false when it
     * cannot (the directory is then left behind if this process is killed).
     */
    static boolean claim(Path dir) {
        try {
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            // Owner-only: other local users must not read the log buffers (task outputs pass through them).
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the directories {@code base-UUID} beside {@code base} whose owner has exited; answers
     * how many it deleted.
     */
    static int sweep(Path base) {
        Path parent = base.toAbsolutePath().getParent();
        String prefix = base.getFileName().toString();
        if (parent == null || !Files.isDirectory(parent)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(prefix) && UUID_SUFFIX.matcher(name.substring(prefix.length())).matches()
                        && ownerGone(dir)) {
                    deleteTree(dir);
                    deleted++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return deleted; // best effort: another process may be sweeping or starting at the same time
        }
        return deleted;
    }

    private static boolean ownerGone(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim());
            Optional<ProcessHandle> owner = ProcessHandle.of(pid);
            return owner.isEmpty() || !owner.get().isAlive();
        } catch (IOException | NumberFormatException e) {
            return false; // not ours, or being written
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
