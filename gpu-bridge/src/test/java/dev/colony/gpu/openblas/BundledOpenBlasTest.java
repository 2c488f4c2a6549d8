package dev.colony.gpu.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction of the bundled OpenBLAS: a fresh owner-only directory, and a changed file is refused. */
class BundledOpenBlasTest {

    @Test
    void shouldExtractIntoAFreshOwnerOnlyDirectoryOfReadOnlyFiles(@TempDir Path parent) throws Exception {
        var first = BundledOpenBlas.extractInto(parent);
        var second = BundledOpenBlas.extractInto(parent);
        assertNotEquals(first.dir(), second.dir(), "every process extracts into a directory of its own");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.dir())));
        Path lib = first.checked();
        assertTrue(Files.isRegularFile(lib));
        assertEquals("r-x------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib)));
        assertEquals(4, first.sha256().size());
    }

    @Test
    void shouldRefuseALibraryThatDiffersFromTheJarsCopy(@TempDir Path parent) throws Exception {
        var extracted = BundledOpenBlas.extractInto(parent);
        Path planted = extracted.dir().resolve("libgcc_s.so.1");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(planted, "not the library the jar holds");
        var e = assertThrows(IllegalStateException.class, extracted::checked);
        assertTrue(e.getMessage().contains("libgcc_s.so.1 differs from the jar's copy"), e.getMessage());
    }

    @Test
    void shouldRefuseADirectoryOthersCanWriteTo(@TempDir Path parent) throws Exception {
        var extracted = BundledOpenBlas.extractInto(parent);
        Files.setPosixFilePermissions(extracted.dir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        var e = assertThrows(IllegalStateException.class, extracted::checked);
        assertFalse(e.getMessage().isEmpty());
        assertTrue(e.getMessage().contains("no longer owner-only"), e.getMessage());
    }
}
