package dev.colony.actors.data;

import dev.colony.actors.kernel.Brief;
import io.aeron.Aeron;
import io.aeron.DirectBufferVector;
import io.aeron.Publication;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side: answers a request that carries the output's capability by mapping the stored
 * output and offering it in chunks that each fit one datagram, header and payload gathered from two
 * buffers so the payload is read straight from the mapped file. Publications are opened once per
 * peer channel and shared; at most {@code maxPublications} stay open (the least recently used is
 * closed), so requests naming ever new reply addresses cannot pile them up. Errors sent back name
 * the output, never a path or an exception; the log has the detail.
 */
final class Sender {

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    private final Aeron aeron;
    private final DataSettings settings;
    private final DataSource source;
    private final Capabilities keys;
    private final int maxPublications;
    private final LinkedHashMap<String, Publication> publications = new LinkedHashMap<>(16, 0.75f, true);

    Sender(Aeron aeron, DataSettings settings, DataSource source, Capabilities keys, int maxPublications) {
        this.aeron = aeron;
        this.settings = settings;
        this.source = source;
        this.keys = keys;
        this.maxPublications = maxPublications;
    }

    /** Streams the output {@code r} asks for to its sender (a sender thread). */
    void serve(Wire.Request r) {
        String channel = r.ipc() ? Channels.ipc(settings) : Channels.udp(r.host(), r.replyPort(), settings);
        String what = "sending " + Brief.text(r.key()) + " to " + Brief.text(r.host()) + ":" + r.replyPort();
        UnsafeBuffer header = new UnsafeBuffer(new byte[Wire.CHUNK_HEADER]);
        header.putLong(0, r.requestId());
        DirectBufferVector[] headerOnly = {new DirectBufferVector(header, 0, Wire.CHUNK_HEADER)};
        IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        try (Arena arena = Arena.ofConfined()) {
            Publication publication = publication(channel, r.replyStream());
            MemorySegment bytes = null;
            String refused = null;
            if (!keys.opens(r.key(), r.capability())) {
                refused = "the request carries no valid capability for it";
            } else {
                try {
                    bytes = source.open(r.key(), arena);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("data plane: {} cannot be served: {}", what, e.toString());
                    refused = "it is not in the producer's output store (its log says why)";
                }
            }
            if (refused != null) {
                byte[] message = ("output " + Brief.text(r.key()) + " cannot be served: " + refused)
                        .getBytes(StandardCharsets.UTF_8);
                header.putLong(8, Wire.ERROR);
                header.putLong(16, message.length);
                offer(publication, new DirectBufferVector[] {headerOnly[0],
                        new DirectBufferVector(new UnsafeBuffer(message), 0, message.length)}, idle, what);
                return;
            }
            long total = bytes.byteSize();
            int chunk = publication.maxPayloadLength() - Wire.CHUNK_HEADER;
            UnsafeBuffer payload = new UnsafeBuffer(0, 0);
            DirectBufferVector[] withPayload = {headerOnly[0], new DirectBufferVector(payload, 0, 0)};
            header.putLong(16, total);
            long at = 0;
            do {
                int size = (int) Math.min(chunk, total - at);
                header.putLong(8, at);
                if (size > 0) {
                    payload.wrap(bytes.address() + at, size);
                    withPayload[1].reset(payload, 0, size);
                }
                offer(publication, size > 0 ? withPayload : headerOnly, idle, what);
                at += size;
            } while (at < total);
        } catch (RuntimeException e) {
            // The consumer's fetch fails at its idle timeout, or when it sees this stream go.
            LOG.warn("data plane: serving {} failed: {}", what, e.toString());
        }
    }

    /** Offers one message of {@code length} bytes of {@code buffer} to {@code channel}/{@code stream}. */
    void offer(String channel, int stream, DirectBuffer buffer, int length, String what) {
        offer(publication(channel, stream), new DirectBufferVector[] {new DirectBufferVector(buffer, 0, length)},
                new BackoffIdleStrategy(10, 10, 1_000, 1_000_000), what);
    }

    private void offer(Publication p, DirectBufferVector[] vectors, IdleStrategy idle, String what) {
        idle.reset();
        long deadline = System.nanoTime() + settings.idleTimeout().toNanos();
        while (true) {
            long result = p.offer(vectors);
            if (result > 0) {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                synchronized (publications) {
                    publications.remove(key(p.channel(), p.streamId()), p);
                }
                throw new FetchException(what + ": the publication closed");
            }
            if (System.nanoTime() > deadline) {
                throw new FetchException(what + ": " + (result == Publication.NOT_CONNECTED
                        ? "the peer's data plane at " + p.channel() + " did not connect" : "no progress")
                        + " within " + settings.idleTimeout().toMillis() + " ms (colony.data.idle-timeout)");
            }
            idle.idle();
        }
    }

    private Publication publication(String channel, int stream) {
        synchronized (publications) {
            Publication p = publications.computeIfAbsent(key(channel, stream),
                    k -> aeron.addPublication(channel, stream));
            if (publications.size() > maxPublications) {
                var eldest = publications.entrySet().iterator();
                Publication old = eldest.next().getValue();
                eldest.remove();
                old.close(); // a send still using it fails, and its consumer fetches again
            }
            return p;
        }
    }

    private static String key(String channel, int stream) {
        return stream + " " + channel;
    }
}
