package dev.colony.actors.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPlaneTest {

    @TempDir
    Path dir;

    private DataSource files(Path root) {
        return (key, arena) -> {
            Path f = root.resolve(key);
            if (!Files.exists(f)) {
                throw new NoSuchFileException(f.toString());
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
        };
    }

    private byte[] write(Path root, String key, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        Files.createDirectories(root);
        Files.write(root.resolve(key), bytes);
        return bytes;
    }

    @Test
    void shouldFetchLargeOutputsBetweenTwoDriversOverUdp() throws Exception {
        Path root = dir.resolve("a");
        byte[] big = write(root, "big", 48 << 20, 1);
        byte[] odd = write(root, "odd", 65_441 * 3 + 7, 2);
        try (DataPlane a = DataPlane.start(DataSettings.loopback(), files(root));
             DataPlane b = DataPlane.start(DataSettings.loopback(), files(dir.resolve("none")));
             Arena arena = Arena.ofShared()) {
            assertNotEquals(a.endpoint().driver(), b.endpoint().driver(), "separate drivers: UDP, not IPC");
            MemorySegment got = b.fetch(a.endpoint(), "big", a.capability("big"), big.length, arena);
            assertTrue(got.isNative(), "fetched straight into off-heap memory");
            assertEquals(-1, got.mismatch(MemorySegment.ofArray(big)));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<byte[]>> parallel = List.of(
                        pool.submit(() -> fetchBytes(b, a, "odd", odd.length)),
                        pool.submit(() -> fetchBytes(b, a, "big", big.length)),
                        pool.submit(() -> fetchBytes(b, a, "odd", odd.length)));
                assertEquals(-1, MemorySegment.ofArray(parallel.get(0).get()).mismatch(MemorySegment.ofArray(odd)));
                assertEquals(-1, MemorySegment.ofArray(parallel.get(1).get()).mismatch(MemorySegment.ofArray(big)));
                assertEquals(-1, MemorySegment.ofArray(parallel.get(2).get()).mismatch(MemorySegment.ofArray(odd)));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static byte[] fetchBytes(DataPlane plane, DataPlane from, String key, long bytes) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            return plane.fetch(from.endpoint(), key, from.capability(key), bytes, arena).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void shouldRefuseAFetchWithoutTheOutputsCapability() throws Exception {
        Path root = dir.resolve("a");
        byte[] bytes = write(root, "1.cbor", 1000, 4);
        try (DataPlane a = DataPlane.start(DataSettings.loopback(), files(root));
             DataPlane b = DataPlane.start(DataSettings.loopback(), files(dir.resolve("none")));
             Arena arena = Arena.ofShared()) {
            for (String wrong : new String[] {null, "", a.capability("2.cbor"), "0".repeat(32)}) {
                FetchException e = assertThrows(FetchException.class,
                        () -> b.fetch(a.endpoint(), "1.cbor", wrong, bytes.length, arena));
                assertTrue(e.getMessage().contains("no valid capability"), e.getMessage());
            }
            assertEquals(-1, b.fetch(a.endpoint(), "1.cbor", a.capability("1.cbor"), bytes.length, arena)
                    .mismatch(MemorySegment.ofArray(bytes)));
        }
    }

    @Test
    void shouldKeepItsSecretAcrossRestartsInTheDataDirectory() throws Exception {
        Path file = dir.resolve("data-plane.key");
        String before = Capabilities.stored(file).of("k");
        assertEquals(before, Capabilities.stored(file).of("k"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
        assertTrue(!before.equals(Capabilities.random().of("k")));
    }

    @Test
    void shouldAnswerOnlyTheAddressARequestCameFrom() {
        java.util.function.Function<String, java.util.Set<java.net.InetAddress>> dns = host -> {
            try {
                return java.util.Set.of(java.net.InetAddress.getAllByName(host));
            } catch (java.net.UnknownHostException e) {
                return java.util.Set.of();
            }
        };
        assertTrue(DataPlane.replyHostIsSource("127.0.0.1", "127.0.0.1:40123", dns));
        assertTrue(DataPlane.replyHostIsSource("::1", "[::1]:40123", dns));
        assertTrue(!DataPlane.replyHostIsSource("192.0.2.7", "127.0.0.1:40123", dns), "a third party's address");
        assertTrue(!DataPlane.replyHostIsSource("127.0.0.1", "aeron:ipc", dns));
        assertTrue(!DataPlane.replyHostIsSource("no-such-host.invalid", "127.0.0.1:1", dns));
    }

    @Test
    void shouldNameTheOutputWhenTheProducerHasNone() throws Exception {
        try (DataPlane a = DataPlane.start(DataSettings.loopback(), files(dir));
             DataPlane b = DataPlane.start(DataSettings.loopback(), files(dir));
             Arena arena = Arena.ofShared()) {
            FetchException e = assertThrows(FetchException.class, () -> b.fetch(a.endpoint(), "n1/j/t/1.cbor", a.capability("n1/j/t/1.cbor"), 10, arena));
            assertTrue(e.getMessage().contains("n1/j/t/1.cbor") && e.getMessage().contains("cannot be served"),
                    e.getMessage());
        }
    }

    @Test
    void shouldFailWithinTheIdleTimeoutWhenTheProducerIsGone() throws Exception {
        DataSettings quick = new DataSettings("127.0.0.1", 0, "", 65504, 1 << 20, Duration.ofMillis(800),
                Duration.ofMillis(10));
        DataEndpoint gone;
        try (DataPlane a = DataPlane.start(quick, files(dir))) {
            gone = a.endpoint();
        }
        try (DataPlane b = DataPlane.start(quick, files(dir)); Arena arena = Arena.ofShared()) {
            FetchException e = assertThrows(FetchException.class, () -> b.fetch(gone, "x", null, 10, arena));
            assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        }
    }

    @Test
    void shouldUseIpcWhenBothShareOneMediaDriver() throws Exception {
        Path root = dir.resolve("a");
        byte[] bytes = write(root, "t", 3 << 20, 3);
        String aeronDir = dir.resolve("driver").toString();
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true))) {
            DataSettings shared = new DataSettings("127.0.0.1", 0, driver.aeronDirectoryName(), 65504, 1 << 20,
                    Duration.ofSeconds(10), Duration.ofMillis(10));
            try (DataPlane a = DataPlane.start(shared, files(root));
                 DataPlane b = DataPlane.start(shared, files(dir.resolve("none")));
                 Arena arena = Arena.ofShared()) {
                assertEquals(a.endpoint().driver(), b.endpoint().driver());
                DataEndpoint ipcOnly = new DataEndpoint("192.0.2.1", a.endpoint().port(), a.endpoint().driver());
                MemorySegment got = b.fetch(ipcOnly, "t", a.capability("t"), bytes.length, arena);
                assertEquals(-1, got.mismatch(MemorySegment.ofArray(bytes)), "fetched over IPC, not the bogus UDP host");
            }
        }
    }
}
