package dev.colony.actors.data;

import dev.colony.actors.kernel.Brief;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's data plane over Aeron: serves the outputs of its {@link DataSource} to peers and
 * fetches theirs. A fetch sends a small request to the producer, which streams the mapped file in
 * chunks of one UDP datagram (or over IPC when both use the same media driver); each chunk is
 * copied from Aeron's receive buffer straight into the target {@link MemorySegment}, so the bytes
 * never enter the Java heap.
 *
 * <pre>{@code
 * try (DataPlane plane = DataPlane.start(DataSettings.loopback(), store::map);
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment bytes = plane.fetch(peerEndpoint, key, size, arena);
 * }
 * }</pre>
 *
 * <p>Security: a fetch carries the output's capability ({@link Capabilities}, in its
 * {@code OutputRef}); a request without it is refused. An answer goes only to where the request came
 * from (a UDP request naming another reply address is dropped), requests are served by
 * {@value #SEND_THREADS} threads with {@value #SEND_QUEUE} waiting at most (more are dropped), and at
 * most {@value #MAX_PUBLICATIONS} reply publications stay open.
 *
 * <p>Thread safety: {@link #fetch} may be called from any number of threads at once. One thread
 * polls the plane's UDP and IPC streams; chunks are sent from a fixed pool.
 */
public final class DataPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final int IPC_STREAM_BASE = 0x10000;
    /** Threads that serve requests. */
    static final int SEND_THREADS = 4;
    /** Requests that may wait for them; more are dropped (their fetches time out and are tried again). */
    static final int SEND_QUEUE = 256;
    /** Reply publications kept open (one per consumer); the least recently used is closed past it. */
    static final int MAX_PUBLICATIONS = 64;

    private final DataSettings settings;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final DataEndpoint endpoint;
    private final List<Subscription> subscriptions;
    private final Receiver receiver;
    private final Sender sender;
    private final ThreadPoolExecutor senders;
    private final Capabilities keys;
    private final Map<String, Set<InetAddress>> resolved = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread poller;
    private volatile boolean closed;

    private DataPlane(DataSettings settings, MediaDriver driver, Aeron aeron, DataSource source, Capabilities keys) {
        this.settings = settings;
        this.keys = keys;
        this.driver = driver;
        this.aeron = aeron;
        this.receiver = new Receiver(settings.idleTimeout());
        Subscription udp = aeron.addSubscription(Channels.udp(settings.host(), settings.port(), settings),
                Wire.STREAM, null, receiver::imageGone);
        int port = Channels.boundPort(udp);
        this.endpoint = new DataEndpoint(settings.host(), port, driverIdentity(aeron));
        this.sender = new Sender(aeron, settings, source, keys, MAX_PUBLICATIONS);
        this.senders = new ThreadPoolExecutor(SEND_THREADS, SEND_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SEND_QUEUE), Thread.ofPlatform().daemon().name("colony-data-send-", 0).factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        this.subscriptions = List.of(udp,
                aeron.addSubscription(Channels.ipc(settings), ipcStream(port), null, receiver::imageGone));
        this.poller = Thread.ofPlatform().daemon().name("colony-data-poll-" + port).unstarted(this::poll);
        poller.start();
    }

    /** Starts a data plane serving {@code source} under a random secret (its capabilities die with it). */
    public static DataPlane start(DataSettings settings, DataSource source) {
        return start(settings, source, Capabilities.random());
    }

    /**
     * Starts a data plane serving {@code source} to fetches that carry a capability of {@code keys}:
     * an embedded media driver of its own, or the driver at {@code settings.aeronDir()} when set.
     */
    public static DataPlane start(DataSettings settings, DataSource source, Capabilities keys) {
        MediaDriver driver = null;
        String dir = settings.aeronDir();
        if (dir.isEmpty()) {
            int swept = DriverDirs.sweep(Path.of(CommonContext.getAeronDirectoryName()));
            if (swept > 0) {
                LOG.info("data plane: deleted {} media driver director{} left by killed processes", swept,
                        swept == 1 ? "y" : "ies");
            }
            driver = MediaDriver.launchEmbedded(new MediaDriver.Context().threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new DrowsyIdleStrategy(settings.idlePark().toNanos()))
                    .dirDeleteOnStart(true).dirDeleteOnShutdown(true).termBufferSparseFile(true)
                    .socketRcvbufLength(2 << 20).socketSndbufLength(2 << 20).initialWindowLength(2 << 20)
                    .publicationTermBufferLength(settings.termLength()).ipcTermBufferLength(settings.termLength()));
            dir = driver.aeronDirectoryName();
            if (!DriverDirs.claim(Path.of(dir))) {
                LOG.warn("data plane: cannot write its owner into {}; it stays behind if this process is killed", dir);
            }
        }
        Aeron aeron = null;
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir)
                    .errorHandler(e -> LOG.warn("data plane: {}", e.toString())));
            return new DataPlane(settings, driver, aeron, source, keys);
        } catch (RuntimeException e) {
            closeQuietly(aeron);
            closeQuietly(driver);
            throw new IllegalStateException("cannot start the data plane on " + settings.host() + ":" + settings.port()
                    + (settings.aeronDir().isEmpty() ? "" : " with the media driver at " + settings.aeronDir())
                    + ": " + e.getMessage(), e);
        }
    }

    /** Where peers reach this data plane. */
    public DataEndpoint endpoint() {
        return endpoint;
    }

    /** The capability a fetch of this plane's output {@code key} must carry. */
    public String capability(String key) {
        return keys.of(key);
    }

    /**
     * Fetches the {@code bytes} bytes stored under {@code key} on the process at {@code from}, which
     * {@code capability} opens, into a new segment of {@code arena}, 64-byte aligned. Blocks until
     * every byte arrived. The poller thread writes the segment, so {@code arena} must not be confined
     * to one thread (shared, global, auto).
     *
     * @throws IllegalArgumentException when {@code arena} is confined
     * @throws FetchException       when the peer is unreachable, answers an error, or goes silent
     *                              for {@code colony.data.idle-timeout}
     * @throws InterruptedException when the calling thread is interrupted (the fetch is abandoned)
     */
    public MemorySegment fetch(DataEndpoint from, String key, String capability, long bytes, Arena arena)
            throws InterruptedException {
        if (closed) {
            throw new FetchException("the data plane is closed");
        }
        MemorySegment target = arena.allocate(Math.max(1, bytes), 64).asSlice(0, bytes);
        if (!target.isAccessibleBy(poller)) {
            throw new IllegalArgumentException("fetch needs an arena other threads can use (Arena.ofShared()), "
                    + "not a confined one");
        }
        boolean ipc = from.driver().equals(endpoint.driver());
        Receiver.Pending pending = receiver.expect(target, from + " " + key);
        try {
            Wire.Request request = new Wire.Request(pending.id(), endpoint.host(), endpoint.port(),
                    ipc ? ipcStream(endpoint.port()) : Wire.STREAM, ipc, key, capability);
            String channel = ipc ? Channels.ipc(settings) : Channels.udp(from.host(), from.port(), settings);
            int stream = ipc ? ipcStream(from.port()) : Wire.STREAM;
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 + 3 * key.length() + 3 * endpoint.host().length()
                    + (capability == null ? 0 : capability.length())]);
            int length = request.encode(buffer);
            sender.offer(channel, stream, buffer, length, "request " + key + " from " + from);
            pending.await();
            return target;
        } finally {
            receiver.forget(pending);
        }
    }

    /**
     * The poll thread: when idle it waits as the media driver does ({@link DrowsyIdleStrategy}: up
     * to 1 ms at a time while traffic is recent; at 0.2 ms an idle member's poll thread took 5.5 %
     * of a core), a fragment that arrives after idleness waits at most one park.
     */
    private void poll() {
        IdleStrategy idle = new DrowsyIdleStrategy(settings.idlePark().toNanos());
        Subscription udp = subscriptions.get(0);
        FragmentHandler fromUdp = (buffer, offset, length, header) -> {
            if (Wire.Request.is(buffer, offset)) {
                Wire.Request r = Wire.Request.decode(buffer, offset, length);
                Image image = udp.imageBySessionId(header.sessionId());
                if (r != null && !r.ipc() && image != null) {
                    String source = image.sourceIdentity();
                    senders.execute(() -> serveIfFromReplyHost(r, source));
                }
            } else {
                receiver.chunk(buffer, offset, length, header);
            }
        };
        FragmentHandler fromIpc = (buffer, offset, length, header) -> {
            if (Wire.Request.is(buffer, offset)) {
                Wire.Request r = Wire.Request.decode(buffer, offset, length);
                if (r != null && r.ipc()) { // only processes on this media driver can send on IPC
                    senders.execute(() -> sender.serve(r));
                }
            } else {
                receiver.chunk(buffer, offset, length, header);
            }
        };
        while (!closed) {
            int work = 0;
            try {
                work += udp.poll(fromUdp, 64);
                work += subscriptions.get(1).poll(fromIpc, 64);
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("data plane poll failed: {}", e.toString());
                }
            }
            idle.idle(work);
        }
    }

    /**
     * Serves {@code r} when its reply host is the address it came from ({@code source}, Aeron's
     * "ip:port" of the sender): a request cannot aim a stream of output at a third party.
     */
    private void serveIfFromReplyHost(Wire.Request r, String source) {
        if (replyHostIsSource(r.host(), source, this::addressesOf)) {
            sender.serve(r);
        } else if (Long.bitCount(dropped.incrementAndGet()) == 1) { // the 1st, 2nd, 4th, ...: no log flood
            LOG.warn("data plane: dropped a request from {} whose reply goes to {} ({} dropped so far)",
                    Brief.text(source), Brief.text(r.host()), dropped.get());
        }
    }

    /** Whether {@code replyHost} names the address in {@code source} ("ip:port", IPv6 in brackets). */
    static boolean replyHostIsSource(String replyHost, String source,
                                     java.util.function.Function<String, Set<InetAddress>> resolve) {
        int colon = source.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String ip = source.substring(0, colon).replace("[", "").replace("]", "");
        try {
            InetAddress from = InetAddress.ofLiteral(ip);
            return resolve.apply(replyHost).contains(from);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The addresses of {@code host}, resolved once (at most 1,024 names are remembered). */
    private Set<InetAddress> addressesOf(String host) {
        Set<InetAddress> known = resolved.get(host);
        if (known != null) {
            return known;
        }
        Set<InetAddress> found;
        try {
            found = Set.copyOf(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException | RuntimeException e) {
            found = Set.of();
        }
        if (resolved.size() < 1_024) {
            resolved.put(host, found);
        }
        return found;
    }

    /** The IPC stream of the data plane on UDP port {@code port}: unique per host, as the port is. */
    private static int ipcStream(int port) {
        return IPC_STREAM_BASE + port;
    }

    private static String driverIdentity(Aeron aeron) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return Path.of(aeron.context().aeronDirectoryName()).toAbsolutePath() + "@" + host;
    }

    @Override
    public void close() {
        closed = true;
        try {
            poller.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
        receiver.failAll("the data plane closed");
        closeQuietly(aeron);
        closeQuietly(driver);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the data plane: {}", e.toString());
            }
        }
    }

    /** The Aeron client of this plane, on its media driver (benchmarks compare with raw publications on it). */
    public Aeron aeron() {
        return aeron;
    }
}
