package dev.colony.actors.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverDirsTest {

    @TempDir
    Path shm;

    private Path driverDir(String name) throws Exception {
        Path dir = Files.createDirectories(shm.resolve(name));
        Files.write(dir.resolve("cnc.dat"), new byte[4096]);
        return dir;
    }

    private static long exitedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void shouldDeleteOnlyTheDirectoriesOfExitedOwners() throws Exception {
        Path base = shm.resolve("aeron-someone");
        Path killed = driverDir("aeron-someone-" + UUID.randomUUID());
        Files.writeString(killed.resolve(DriverDirs.OWNER_FILE), Long.toString(exitedPid()));
        Path mine = driverDir("aeron-someone-" + UUID.randomUUID());
        assertTrue(DriverDirs.claim(mine));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(mine)), "a claimed driver directory is owner-only");
        Path notOurs = driverDir("aeron-someone-" + UUID.randomUUID()); // no owner file: Artery's or another program's
        Path otherName = driverDir("aeron-other-" + UUID.randomUUID());
        Files.writeString(otherName.resolve(DriverDirs.OWNER_FILE), Long.toString(exitedPid()));
        Path base2 = driverDir("aeron-someone-extra"); // not base-UUID
        Files.writeString(base2.resolve(DriverDirs.OWNER_FILE), Long.toString(exitedPid()));

        assertEquals(1, DriverDirs.sweep(base));

        assertFalse(Files.exists(killed), "the killed owner's directory is deleted");
        assertTrue(Files.exists(mine.resolve("cnc.dat")), "a live owner's directory stays");
        assertTrue(Files.exists(notOurs), "a directory without an owner file stays");
        assertTrue(Files.exists(otherName), "another base's directory stays");
        assertTrue(Files.exists(base2), "a name that is not base-UUID stays");
        assertEquals(0, DriverDirs.sweep(shm.resolve("missing/aeron-someone")), "a missing parent sweeps nothing");
    }

    @Test
    void shouldLeaveADirectoryWhoseOwnerFileIsNotAPid() throws Exception {
        Path dir = driverDir("aeron-x-" + UUID.randomUUID());
        Files.writeString(dir.resolve(DriverDirs.OWNER_FILE), "");
        assertEquals(0, DriverDirs.sweep(shm.resolve("aeron-x")));
        assertTrue(Files.exists(dir));
    }
}
