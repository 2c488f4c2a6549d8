package dev.colony.actors.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {

    @TempDir
    Path root;

    static JsonNode big(int n) {
        var a = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) {
            a.add(i);
        }
        return a;
    }

    @Test
    void shouldKeepSmallOutputsInlineAndStoreLargeOnesPerAttempt() {
        OutputStore store = OutputStore.open(root, 64, 1 << 20);
        TaskOutput small = store.put("n1", "j", "t", 1, TextNode.valueOf("hi"));
        assertFalse(small.isStored());
        TaskOutput a1 = store.put("n1", "j", "t", 1, big(100));
        TaskOutput a2 = store.put("n1", "j", "t", 2, big(200));
        assertTrue(a1.isStored() && a2.isStored());
        assertEquals("n1/j/t/1.cbor", a1.ref().key());
        assertEquals(big(100), store.get(a1)); // a later attempt never overwrote an earlier one
        assertEquals(big(200), store.get(a2));
        assertEquals(a1.ref().bytes() + a2.ref().bytes(), store.usedBytes());
    }

    @Test
    void shouldReadBackThroughARootWrittenWithDotSegments() {
        // e.g. the default data directory "./colony-data"
        OutputStore store = OutputStore.open(root.resolve("./a/../store"), 0, 1 << 20);
        TaskOutput out = store.put("n1", "j", "t", 1, big(10));
        assertEquals(big(10), store.get(out));
    }

    @Test
    void shouldNeverReadBackATornOrAlteredFile() throws Exception {
        OutputStore store = OutputStore.open(root, 0, 1 << 20);
        TaskOutput out = store.put("n1", "j", "t", 1, big(100));
        Path file = root.resolve(out.ref().key());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2)); // torn
        var torn = assertThrows(OutputStoreException.class, () -> store.get(out));
        assertTrue(torn.getMessage().contains("is corrupt: expected " + bytes.length + " bytes"), torn.getMessage());
        bytes[bytes.length - 1] ^= 1; // same size, one bit flipped
        Files.write(file, bytes);
        var altered = assertThrows(OutputStoreException.class, () -> store.get(out));
        assertTrue(altered.getMessage().contains("SHA-256 " + out.ref().sha256()), altered.getMessage());
        Files.delete(file);
        var missing = assertThrows(OutputLostException.class, () -> store.get(out)); // its producer runs again
        assertTrue(missing.getMessage().contains("is not in the output store"), missing.getMessage());
    }

    @Test
    void shouldRefuseAnOutputOverTheQuotaLeavingNoFile() throws Exception {
        OutputStore store = OutputStore.open(root, 0, 100);
        var e = assertThrows(OutputStoreException.class, () -> store.put("n1", "j", "t", 3, big(100)));
        assertTrue(e.getMessage().contains("output of task 't' (job 'j', attempt 3)")
                && e.getMessage().contains("0B of 100B used (colony.persistence.outputs.quota)"), e.getMessage());
        assertEquals(0, store.usedBytes());
        try (var files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void shouldDropInterruptedWritesAndCountStoredFilesOnOpen() throws Exception {
        TaskOutput kept = OutputStore.open(root, 0, 1 << 20).put("n1", "j", "t", 1, big(10));
        Path tmp = root.resolve("n1/j/t/2.cbor.tmp");
        Files.write(tmp, new byte[] {1, 2, 3}); // a write the crash interrupted
        OutputStore reopened = OutputStore.open(root, 0, 1 << 20);
        assertFalse(Files.exists(tmp));
        assertEquals(kept.ref().bytes(), reopened.usedBytes());
        assertEquals(big(10), reopened.get(kept));
    }
}
