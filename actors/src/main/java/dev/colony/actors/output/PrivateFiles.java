package dev.colony.actors.output;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only this process's user may read: directories {@code 0700}, files {@code 0600}, whatever
 * the umask. The journal, task outputs and their temporary files are created through it. On a file
 * system without POSIX permissions the system's defaults apply.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} and any missing parents owner-only, and makes an existing {@code dir}
     * owner-only too (the data directory of an earlier version may be world-readable).
     */
    public static Path secureDirectory(Path dir) throws IOException {
        createDirectories(dir);
        if (POSIX && !Files.getPosixFilePermissions(dir).equals(DIR)) {
            Files.setPosixFilePermissions(dir, DIR);
        }
        return dir;
    }

    /** Creates the missing directories of {@code dir}, each owner-only. */
    public static void createDirectories(Path dir) throws IOException {
        java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) { // outermost first
            try {
                Files.createDirectory(p, attributes(DIR));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                } // else made by another thread meanwhile
            }
        }
    }

    /** Opens {@code file}, creating it owner-only ({@code 0600}) if it does not exist. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), attributes(FILE));
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
