package dev.colony.runtime.http;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.IncomingConnection;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves HTTP connections so that slow or idle clients cannot hold them all: at most
 * {@code maxConnections} are open; a connection that takes longer than {@code headerTimeout} to send
 * the head of its next request (counted from its opening or its last answer) is closed; and when a
 * new connection would pass the cap, the one that has waited longest without sending a request is
 * closed for it (a connection whose request is being answered is never closed). Akka HTTP's own cap
 * only refuses new connections, so 1,024 slow-header clients kept every other client out.
 * Thread-safe; one per binding.
 */
final class ConnectionGuard {

    private final int maxConnections;
    private final long headerTimeoutMs;
    private final InstantSource clock;
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();

    /** One open connection: whether a request of it is being answered, and since when it waits. */
    private static final class Conn {
        volatile boolean busy;
        volatile long waitingSinceMs;
        volatile UniqueKillSwitch kill;

        void close() {
            UniqueKillSwitch k = kill;
            if (k != null) {
                k.shutdown();
            }
        }
    }

    ConnectionGuard(int maxConnections, Duration headerTimeout, InstantSource clock) {
        this.maxConnections = maxConnections;
        this.headerTimeoutMs = headerTimeout.toMillis();
        this.clock = clock;
    }

    /** Binds {@code builder}, answering each request with {@code handler}, one at a time per connection. */
    CompletionStage<ServerBinding> serve(ActorSystem<?> system, ServerBuilder builder,
                                         Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
        Materializer materializer = Materializer.matFromSystem(system);
        Duration every = Duration.ofMillis(Math.max(100, headerTimeoutMs / 4));
        Cancellable sweep = system.scheduler().scheduleWithFixedDelay(every, every, this::closeSlow,
                system.executionContext());
        system.getWhenTerminated().thenRun(sweep::cancel);
        return builder.connectionSource().to(Sink.foreach(c -> {
            try {
                accept(c, handler, materializer);
            } catch (RuntimeException e) { // one connection's failure must not end the binding's stream
                system.log().warn("HTTP API: a connection from {} failed to start: {}", c.remoteAddress(), e.toString());
            }
        })).run(materializer);
    }

    /** How many connections are open now. */
    int openConnections() {
        return open.size();
    }

    private void accept(IncomingConnection connection, Function<HttpRequest, CompletionStage<HttpResponse>> handler,
                        Materializer materializer) {
        if (open.size() >= maxConnections && !closeLongestWaiting()) {
            connection.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), materializer);
            return;
        }
        Conn c = new Conn();
        c.waitingSinceMs = clock.millis();
        open.add(c);
        Flow<HttpRequest, HttpResponse, UniqueKillSwitch> flow = Flow.<HttpRequest>create()
                .viaMat(KillSwitches.single(), Keep.right())
                .map(request -> {
                    c.busy = true;
                    return request;
                })
                .mapAsync(1, handler)
                .map(response -> {
                    c.waitingSinceMs = clock.millis();
                    c.busy = false;
                    return response;
                })
                .watchTermination((kill, done) -> {
                    done.whenComplete((d, e) -> open.remove(c));
                    return kill;
                });
        c.kill = connection.handleWith(flow, materializer);
    }

    /** Closes the connection that has waited longest for a request; false when every one is busy. */
    private boolean closeLongestWaiting() {
        return open.stream().filter(c -> !c.busy && c.kill != null).min(Comparator.comparingLong(c -> c.waitingSinceMs))
                .map(c -> {
                    open.remove(c);
                    c.close();
                    return true;
                }).orElse(false);
    }

    private void closeSlow() {
        long before = clock.millis() - headerTimeoutMs;
        for (Conn c : open) {
            if (!c.busy && c.waitingSinceMs < before) {
                open.remove(c);
                c.close();
            }
        }
    }
}
