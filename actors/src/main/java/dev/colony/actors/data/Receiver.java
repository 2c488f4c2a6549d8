package dev.colony.actors.data;

import io.aeron.Image;
import io.aeron.logbuffer.Header;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;

/**
 * The fetching side: fetches in flight by request id, and the chunk handler that copies each
 * chunk from Aeron's receive buffer into its fetch's target segment. Chunks are handled on the
 * poller thread only; waiting happens on the fetching threads.
 */
final class Receiver {

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L);
    private final long idleTimeoutNs;

    Receiver(Duration idleTimeout) {
        this.idleTimeoutNs = idleTimeout.toNanos();
    }

    /** One fetch in flight. {@code received}, {@code progressNs} and {@code session} are written by the poller only. */
    final class Pending {
        private final long id;
        private final MemorySegment target;
        private final String what;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile long received;
        private volatile long progressNs = System.nanoTime();
        private volatile int session;
        private volatile boolean sessionKnown;

        Pending(long id, MemorySegment target, String what) {
            this.id = id;
            this.target = target;
            this.what = what;
        }

        long id() {
            return id;
        }

        void await() throws InterruptedException {
            while (true) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    throw new FetchException(e.getCause().getMessage());
                } catch (TimeoutException e) {
                    long silent = System.nanoTime() - progressNs;
                    if (silent > idleTimeoutNs) {
                        throw new FetchException("fetching " + what + ": nothing arrived for "
                                + TimeUnit.NANOSECONDS.toMillis(silent) + " ms after " + received + " of "
                                + target.byteSize() + " bytes (colony.data.idle-timeout)");
                    }
                }
            }
        }

        private void fail(String why) {
            done.completeExceptionally(new FetchException("fetching " + what + ": " + why));
        }
    }

    Pending expect(MemorySegment target, String what) {
        Pending p = new Pending(ids.incrementAndGet(), target, what);
        pending.put(p.id, p);
        return p;
    }

    void forget(Pending p) {
        pending.remove(p.id);
    }

    /** Handles one chunk (poller thread). */
    void chunk(DirectBuffer buffer, int offset, int length, Header header) {
        Pending p = pending.get(buffer.getLong(offset));
        if (p == null) {
            return; // abandoned (timed out, interrupted): drop the rest of its chunks
        }
        long at = buffer.getLong(offset + 8);
        long total = buffer.getLong(offset + 16);
        int size = length - Wire.CHUNK_HEADER;
        if (at == Wire.ERROR) {
            byte[] message = new byte[size];
            buffer.getBytes(offset + Wire.CHUNK_HEADER, message);
            p.fail("the producer answered: " + new String(message, StandardCharsets.UTF_8));
            return;
        }
        if (total != p.target.byteSize() || at < 0 || at + size > total) {
            p.fail("the producer sent bytes " + at + ".." + (at + size) + " of " + total + " but " + p.target.byteSize()
                    + " were expected (the stored output changed size)");
            return;
        }
        if (!p.sessionKnown) {
            p.session = header.sessionId();
            p.sessionKnown = true;
        }
        if (size > 0) {
            MemorySegment chunk = MemorySegment.ofAddress(buffer.addressOffset() + offset + Wire.CHUNK_HEADER)
                    .reinterpret(size);
            MemorySegment.copy(chunk, 0, p.target, at, size);
        }
        p.received += size;
        p.progressNs = System.nanoTime();
        if (p.received == total) {
            p.done.complete(null);
        }
    }

    /** A producer's stream went away: fetches it was serving fail now instead of at their idle timeout. */
    void imageGone(Image image) {
        for (Pending p : pending.values()) {
            if (p.sessionKnown && p.session == image.sessionId() && !p.done.isDone()) {
                p.fail("the producer's stream closed after " + p.received + " of " + p.target.byteSize()
                        + " bytes (its process stopped?)");
            }
        }
    }

    void failAll(String why) {
        pending.values().forEach(p -> p.fail(why));
    }
}
