package dev.colony.runtime.cli;

import dev.colony.actors.data.Channels;
import dev.colony.actors.data.DataEndpoint;
import dev.colony.actors.data.DataPlane;
import dev.colony.actors.data.DataSettings;
import dev.colony.actors.output.Checksums;
import dev.colony.actors.output.OutputStore;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code colony bench transfer}: moves one large output between two processes on this host, by
 * the data plane (fetch request, chunks into a fresh segment, then with its CRC-32C check) and by a
 * raw Aeron publication of the same bytes from the same mapped file into a fresh segment too (its
 * allocation is timed in both),
 * alternating, in one run. The peer process is this program again ({@link #peer}), talking over
 * its stdin and stdout.
 */
final class TransferBench {

    private static final String KEY = "bench/tensor";
    private static final int RAW_STREAM = 0x0B01;

    private TransferBench() {
    }

    /** The measuring side: starts the peer, then alternates raw and data-plane transfers. */
    static int run(long size, int runs, DataSettings settings, PrintStream out) throws Exception {
        Process peer = new ProcessBuilder(peerCommand(size, settings)).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
             PrintStream to = new PrintStream(peer.getOutputStream(), true, StandardCharsets.UTF_8);
             DataPlane plane = DataPlane.start(settings, (k, a) -> {
                 throw new IOException("nothing served here");
             })) {
            String[] ready = in.readLine().split(" "); // ready PORT DRIVER CRC CAPABILITY
            DataEndpoint from = new DataEndpoint(settings.host(), Integer.parseInt(ready[1]), ready[2]);
            Subscription raw = plane.aeron().addSubscription(Channels.udp(settings.host(), 0, settings), RAW_STREAM);
            int rawPort = Channels.boundPort(raw);
            out.printf("transfer of %s between two processes on %s (mtu %d, term %d KiB), %d runs each:%n",
                    dev.colony.actors.job.Bytes.format(size), settings.host(), settings.mtu(), settings.termLength() >> 10,
                    runs);
            double[] rawGbs = new double[runs];
            double[] planeGbs = new double[runs];
            double[] checkedGbs = new double[runs];
            for (int i = 0; i < runs; i++) {
                rawGbs[i] = rawRun(raw, rawPort, size, to, in);
                try (Arena arena = Arena.ofShared()) {
                    long t0 = System.nanoTime();
                    MemorySegment got = plane.fetch(from, KEY, ready[4], size, arena);
                    long t1 = System.nanoTime();
                    String crc = Checksums.crc32c(got);
                    long t2 = System.nanoTime();
                    if (!crc.equals(ready[3])) {
                        throw new IllegalStateException("fetched bytes differ: CRC-32C " + crc + " vs " + ready[3]);
                    }
                    planeGbs[i] = size / (double) (t1 - t0);
                    checkedGbs[i] = size / (double) (t2 - t0);
                }
                out.printf("  run %d: raw Aeron %.2f GB/s, data plane %.2f GB/s (%.2f GB/s with its CRC-32C check)%n",
                        i + 1, rawGbs[i], planeGbs[i], checkedGbs[i]);
            }
            double r = SelfCommand.median(rawGbs);
            double p = SelfCommand.median(planeGbs);
            out.printf("median: raw Aeron %.2f GB/s, data plane %.2f GB/s = %.2fx raw (%.2f GB/s = %.2fx with the check)%n",
                    r, p, p / r, SelfCommand.median(checkedGbs), SelfCommand.median(checkedGbs) / r);
            to.println("quit");
            return ColonyCli.OK;
        } finally {
            peer.destroy();
        }
    }

    /** One raw transfer: the peer offers the bytes to {@code endpoint}; this side copies each into a segment. */
    private static double rawRun(Subscription raw, int port, long size, PrintStream to, BufferedReader in)
            throws IOException {
        try (Arena arena = Arena.ofShared()) {
            long[] received = {0};
            IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 200_000);
            long t0 = System.nanoTime();
            to.println("raw " + port);
            MemorySegment target = arena.allocate(size, 64); // a fresh segment, as a fetch allocates one
            while (received[0] < size) {
                idle.idle(raw.poll((buffer, offset, length, header) -> {
                    long at = buffer.getLong(offset);
                    int n = length - 8;
                    MemorySegment.copy(MemorySegment.ofAddress(buffer.addressOffset() + offset + 8).reinterpret(n), 0,
                            target, at, n);
                    received[0] += n;
                }, 64));
            }
            long t1 = System.nanoTime();
            in.readLine(); // sent
            return size / (double) (t1 - t0);
        }
    }

    /** The serving side: stores {@code size} random bytes, serves them, and publishes them raw on request. */
    static int peer(long size, DataSettings settings) throws Exception {
        Path dir = Files.createTempDirectory("colony-transfer");
        Path file = dir.resolve(KEY);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); Arena arena = Arena.ofShared()) {
            MemorySegment bytes = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            SplittableRandom random = new SplittableRandom(1);
            for (long i = 0; i + 8 <= size; i += 8) {
                bytes.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
            }
            OutputStore store = OutputStore.open(dir, 0, Long.MAX_VALUE);
            try (DataPlane plane = DataPlane.start(settings, store::map);
                 BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                System.out.println("ready " + plane.endpoint().port() + " " + plane.endpoint().driver() + " "
                        + Checksums.crc32c(bytes) + " " + plane.capability(KEY));
                java.util.Map<Integer, ExclusivePublication> raw = new java.util.HashMap<>();
                for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                    if (line.startsWith("raw ")) {
                        publishRaw(raw.computeIfAbsent(Integer.parseInt(line.substring(4)), port -> plane.aeron()
                                .addExclusivePublication(Channels.udp(settings.host(), port, settings), RAW_STREAM)), bytes);
                        System.out.println("sent");
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return ColonyCli.OK;
    }

    /** Offers {@code bytes} on {@code pub} in chunks of one datagram, each headed by its offset. */
    private static void publishRaw(ExclusivePublication pub, MemorySegment bytes) {
        IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        int chunk = pub.maxPayloadLength() - 8;
        UnsafeBuffer header = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer payload = new UnsafeBuffer(0, 0);
        for (long at = 0; at < bytes.byteSize(); ) {
            int n = (int) Math.min(chunk, bytes.byteSize() - at);
            header.putLong(0, at);
            payload.wrap(bytes.address() + at, n);
            long result = pub.offer(header, 0, 8, payload, 0, n);
            if (result > 0) {
                at += n;
            } else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("raw publication failed: " + result);
            } else {
                idle.idle();
            }
        }
    }

    private static List<String> peerCommand(long size, DataSettings s) {
        return SelfCommand.of("bench", "transfer-peer", "--size", Long.toString(size), "--host", s.host(), "--mtu",
                Integer.toString(s.mtu()), "--term-length", Integer.toString(s.termLength()));
    }
}
