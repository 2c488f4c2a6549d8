package dev.colony.runtime.http;

import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JsonLimits;
import dev.colony.runtime.JobSpecReader;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Parses and checks submitted job specs on a few threads of its own with a bounded queue, never on
 * the actor system's threads: a hostile body costs these threads alone (the node's actors, and so
 * {@code GET /nodes}, keep answering), and a {@link StackOverflowError} or other error while reading
 * one is answered as a failed request instead of reaching Akka's {@code jvm-exit-on-fatal-error}.
 * Thread-safe; {@link #close()} stops its threads.
 */
final class SpecIntake implements AutoCloseable {

    /** How a body fared: a checked spec, or the HTTP status and the reason it was refused. */
    record Outcome(JobSpec spec, int status, String error) {
        static Outcome refused(int status, String error) {
            return new Outcome(null, status, error);
        }
    }

    private final ThreadPoolExecutor threads;
    private final JsonLimits limits;
    private final Function<JobSpec, Optional<String>> validate;

    /**
     * An intake with {@code threads} threads and room for {@code queue} waiting bodies, reading
     * within {@code limits} and checking with {@code validate} (the problems, or empty when valid).
     */
    SpecIntake(int threads, int queue, JsonLimits limits, Function<JobSpec, Optional<String>> validate) {
        AtomicInteger n = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "colony-http-intake-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.limits = limits;
        this.validate = validate;
    }

    /** Reads and checks {@code body}; 503 at once when every thread is busy and the queue is full. */
    CompletionStage<Outcome> read(String body) {
        try {
            return CompletableFuture.supplyAsync(() -> readNow(body), threads);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Outcome.refused(503,
                    "too many job specs are being read; try again shortly (colony.http.intake-queue)"));
        }
    }

    private Outcome readNow(String body) {
        try {
            JobSpec spec = JobSpecReader.parse(body, "request body", limits);
            Optional<String> problems = validate.apply(spec);
            return problems.map(p -> Outcome.refused(400, p)).orElseGet(() -> new Outcome(spec, 202, null));
        } catch (IllegalArgumentException e) {
            return Outcome.refused(400, e.getMessage());
        } catch (StackOverflowError e) {
            return Outcome.refused(400, "the request body is nested too deeply to read (colony.jobs.json.max-depth)");
        } catch (RuntimeException | Error e) { // an error here must not reach Akka's fatal-error exit
            return Outcome.refused(500, "the job spec could not be read: internal error ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
