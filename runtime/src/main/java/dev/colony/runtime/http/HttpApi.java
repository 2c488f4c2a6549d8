package dev.colony.runtime.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.colony.actors.job.JobAdmission;
import dev.colony.actors.job.JobLimits;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.kernel.Brief;
import dev.colony.runtime.Colony;
import dev.colony.runtime.JournalUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Colony's HTTP API (Akka HTTP): {@code POST /jobs} submits a job spec (JSON, as {@code colony
 * submit} reads it) and answers 202 once its acceptance is journalled, {@code GET /jobs} lists the
 * latest jobs ({@code ?phase=running&limit=N}), {@code GET /jobs/{id}} a job's status with a page
 * of its tasks' placements, attempts and timings ({@code ?tasks=STATE&page=N&size=M}, see
 * {@link TaskPage}), {@code GET /jobs/{id}/result} an ended job's result with its
 * outputs, {@code DELETE /jobs/{id}} cancels it, {@code GET /nodes} lists the nodes with their
 * capacity and load, {@code GET /learner} shows the learner (deployed policy, canary, generation,
 * history), {@code GET /metrics} the runtime's metrics in the Prometheus text format
 * ({@link ColonyMetrics}); {@code /ui/} is the live dashboard, a page that polls these.
 * Every other answer is JSON; an error is {@code {"error": "..."}} with the field, value or limit
 * named: 400 for a body that is not a valid job, 404 for an unknown job or path, 409 for a job id in
 * use, 413 for a body over {@code colony.http.max-body}, 401 without the bearer token when one is
 * set, 503 (with Retry-After) while the journal cannot be written, 504 naming what did not answer.
 */
public final class HttpApi extends AllDirectives {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    /** Most jobs one {@code GET /jobs} lists. */
    static final int MAX_LIST = 1000;

    private static final String DASHBOARD = "dev/colony/runtime/http/dashboard/";

    private static final ContentType METRICS_TYPE = ContentTypes.parse(ColonyMetrics.CONTENT_TYPE);

    /** Sent with every answer: no sniffing, no framing, scripts and styles from this origin only, no referrer. */
    private static final List<HttpHeader> SECURITY_HEADERS = List.of(
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("X-Frame-Options", "DENY"),
            RawHeader.create("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"),
            RawHeader.create("Referrer-Policy", "no-referrer"),
            RawHeader.create("Cache-Control", "no-store"));

    private final Colony colony;
    private final HttpSettings settings;
    private final AtomicInteger accepting = new AtomicInteger(); // POSTs waiting for their acceptance
    private final ColonyMetrics metrics;
    private final ApiViews views;
    private final SpecIntake intake;
    private final byte[] expectedAuthorization;

    private HttpApi(Colony colony, HttpSettings settings, SpecIntake intake) {
        this.colony = colony;
        this.settings = settings;
        this.metrics = new ColonyMetrics(colony);
        this.views = new ApiViews(colony);
        this.intake = intake;
        this.expectedAuthorization = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Serves the API of {@code colony} as {@code settings} say (HTTPS when a keystore is set); the
     * binding and its threads end with the runtime.
     */
    public static CompletionStage<ServerBinding> start(Colony colony, HttpSettings settings) {
        ActorSystem<Void> system = colony.system();
        SpecIntake intake = new SpecIntake(settings.intakeThreads(), settings.intakeQueue(),
                colony.settings().jobs().json(), colony::validate);
        system.getWhenTerminated().thenRun(intake::close);
        Route route = new HttpApi(colony, settings, intake).route();
        ServerBuilder builder = Http.get(system).newServerAt(settings.host(), settings.port());
        if (settings.https()) {
            builder = builder.enableHttps(ConnectionContext.httpsServer(
                    Keystores.serverContext(settings.keystore(), settings.keystorePassword())));
        }
        return new ConnectionGuard(settings.maxConnections(), settings.headerTimeout(), InstantSource.system())
                .serve(system, builder, route.seal().handler(system));
    }

    Route route() {
        return respondWithDefaultHeaders(SECURITY_HEADERS, () -> withRequestTimeoutResponse(request ->
                HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).addHeader(RetryAfter.create(1L))
                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, jsonBytes(Map.of("error",
                                "the request was not answered within akka.http.server.request-timeout; retry")))),
                () -> handleExceptions(errors(),
                () -> handleRejections(rejections(), () -> ownOrigin(
                        () -> concat(dashboard(), authorized(this::api)))))));
    }

    /**
     * Refuses (403) a request whose {@code Host} is not an allowed name ({@code colony.http.allowed-hosts}:
     * a DNS-rebinding page reaches a loopback API under its own name) or whose {@code Origin} is
     * another site's (a page in the operator's browser posting a job).
     */
    private Route ownOrigin(Supplier<Route> inner) {
        return extractRequest(request -> OriginCheck.refusal(settings,
                request.getHeader("Host").map(HttpHeader::value).orElse(null),
                request.getHeader("Origin").map(HttpHeader::value).orElse(null))
                .map(why -> error(StatusCodes.FORBIDDEN, why)).orElseGet(inner));
    }

    /** Everything but the dashboard. */
    private Route api() {
        return concat(
                pathPrefix("jobs", () -> writableJournal(this::jobs)),
                path("nodes", () -> get(() -> onSuccess(views.nodes(), nodes -> json(StatusCodes.OK, nodes)))),
                path("learner", () -> get(this::learner)),
                path("metrics", () -> get(() -> onSuccess(metrics.scrape(), text -> complete(StatusCodes.OK,
                        HttpEntities.create(METRICS_TYPE, text))))));
    }

    /**
     * 503 with the reason while this process cannot write its journal: what it would answer about
     * jobs (accepted, succeeded) could not be made durable.
     */
    private Route writableJournal(Supplier<Route> inner) {
        return colony.journalProblem().map(problem -> respondWithHeader(RetryAfter.create(5L), () -> error(
                StatusCodes.SERVICE_UNAVAILABLE, new JournalUnavailableException(problem).getMessage())))
                .orElseGet(inner);
    }

    /** {@code /jobs}: submit and list; {@code /jobs/ID}: status and cancel. */
    private Route jobs() {
        return concat(
                pathEnd(() -> concat(
                        post(() -> withSizeLimit(settings.maxBodyBytes(), () -> jsonBody(
                                () -> entity(Unmarshaller.entityToString(), this::submit)))),
                        get(() -> parameterOptional("phase", phase -> parameterOptional("limit",
                                limit -> list(phase.orElse(null), limit.orElse(null))))))),
                path(PathMatchers.segment(), id -> concat(
                        get(() -> known(id, () -> parameterOptional("tasks", tasks -> parameterOptional("page",
                                page -> parameterOptional("size", size -> status(id, tasks.orElse(null),
                                        page.orElse(null), size.orElse(null))))))),
                        delete(() -> known(id, () -> onSuccess(ofJob(id, colony.progress(id)), s -> cancel(id, s)))))),
                path(PathMatchers.segment().slash("result"), id -> get(() -> known(id,
                        () -> onSuccess(ofJob(id, colony.progress(id)), s -> result(id, s))))));
    }

    private static <T> CompletionStage<T> ofJob(String id, CompletionStage<T> ask) {
        return Failures.naming(ask, "job '" + id + "'");
    }

    /** 404 for an id no job can have, or one the job list does not know, without starting a job entity. */
    private Route known(String id, Supplier<Route> inner) {
        if (id.length() > JobLimits.MAX_ID_LENGTH) {
            return error(StatusCodes.NOT_FOUND, "no job with id '" + Brief.text(id) + "'");
        }
        return onSuccess(Failures.naming(colony.knows(id), "the job list"), known -> known ? inner.get() : error(StatusCodes.NOT_FOUND,
                "no job with id '" + id + "' (the job list has every running job and the latest "
                        + "colony.jobs.list.keep ended ones)"));
    }

    /**
     * 415 for a body that is not {@code application/json}: a browser sends a cross-site form or
     * {@code text/plain} post without asking first, but never JSON.
     */
    private Route jsonBody(Supplier<Route> inner) {
        return extractRequestEntity(entity -> entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)
                ? inner.get() : error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "POST /jobs takes Content-Type: "
                + "application/json, not '" + Brief.text(entity.getContentType().toString()) + "'"));
    }

    /**
     * The dashboard: a page and its script, served to anyone (they hold no data; the API calls
     * they make carry the token, which the page asks for when the API answers 401).
     */
    private Route dashboard() {
        return get(() -> concat(
                pathSingleSlash(() -> redirect(Uri.create("/ui/"), StatusCodes.FOUND)),
                pathPrefix("ui", () -> concat(
                        pathEnd(() -> redirect(Uri.create("/ui/"), StatusCodes.FOUND)),
                        pathSingleSlash(() -> getFromResource(DASHBOARD + "index.html")),
                        getFromResourceDirectory(DASHBOARD)))));
    }

    /** Every request carries {@code Authorization: Bearer <token>} when a token is set. */
    private Route authorized(Supplier<Route> inner) {
        if (settings.token().isEmpty()) {
            return inner.get();
        }
        return optionalHeaderValueByName("Authorization", header -> {
            if (header.isPresent() && MessageDigest.isEqual(header.get().getBytes(StandardCharsets.UTF_8),
                    expectedAuthorization)) {
                return inner.get();
            }
            return respondWithHeader(WWWAuthenticate.create(
                    HttpChallenge.create("Bearer", "colony")), () -> error(StatusCodes.UNAUTHORIZED,
                    header.isPresent() ? "wrong bearer token" : "this API needs 'Authorization: Bearer <token>' "
                            + "(colony.http.token)"));
        });
    }

    private Route submit(String body) {
        return onSuccess(intake.read(body), read -> {
            if (read.spec() == null) {
                return read.status() == 503 ? respondWithHeader(RetryAfter.create(1L),
                        () -> error(StatusCodes.SERVICE_UNAVAILABLE, read.error()))
                        : error(StatusCodes.get(read.status()), read.error());
            }
            return accept(read.spec());
        });
    }

    /**
     * 202 once the job's acceptance is in the journal; 409 when another submission holds its id (the
     * job's entity decides, so of two racing submissions exactly one gets in); 400 when it is
     * rejected; 429 with Retry-After when as many jobs wait on this process as
     * {@code colony.jobs.max-queued} allows, or as many POSTs wait for their acceptance as
     * {@code colony.http.max-accepting} does; 504 when the journal did not confirm within {@code colony.http.accept-timeout}.
     */
    private Route accept(JobSpec spec) {
        if (accepting.incrementAndGet() > settings.maxAccepting()) {
            accepting.decrementAndGet();
            return respondWithHeader(RetryAfter.create(1L), () -> error(StatusCodes.TOO_MANY_REQUESTS,
                    settings.maxAccepting() + " submissions to this process already wait for their acceptance to be "
                            + "journalled (colony.http.max-accepting): submit again in a second"));
        }
        long ms = settings.acceptTimeout().toMillis();
        var decided = colony.accept(spec).toCompletableFuture().orTimeout(ms, TimeUnit.MILLISECONDS);
        decided.whenComplete((d, e) -> accepting.decrementAndGet());
        return onSuccess(Failures.timingOut(decided, "job '" + spec.id() + "' was not confirmed accepted within " + ms
                + " ms (colony.http.accept-timeout): its journal write did not answer; GET /jobs/" + spec.id()
                + " tells whether it got in (a POST of it again answers 409 if it did)"), d -> {
            JobAdmission a = d.admission();
            return switch (a.verdict()) {
                case ACCEPTED -> json(StatusCodes.ACCEPTED, Map.of("id", spec.id(), "status", "/jobs/" + spec.id()));
                case ID_IN_USE -> error(StatusCodes.CONFLICT, a.reason());
                case REJECTED -> error(StatusCodes.BAD_REQUEST, a.reason());
                case OVERLOADED -> respondWithHeader(RetryAfter.create(5L), () -> error(StatusCodes.TOO_MANY_REQUESTS,
                        a.reason()));
            };
        });
    }

    /** The latest jobs, newest first; running ones (the first {@value ApiViews#PROGRESS_OF}) with their progress. */
    private Route list(String phaseName, String limitText) {
        JobStatus.Phase phase = phaseName == null ? null : switch (phaseName.toLowerCase(Locale.ROOT)) {
            case "running" -> JobStatus.Phase.RUNNING;
            case "succeeded" -> JobStatus.Phase.SUCCEEDED;
            case "failed" -> JobStatus.Phase.FAILED;
            default -> JobStatus.Phase.UNKNOWN;
        };
        if (phase == JobStatus.Phase.UNKNOWN) {
            return error(StatusCodes.BAD_REQUEST, "phase '" + Brief.text(phaseName)
                    + "' is not one of running, succeeded, failed");
        }
        int limit;
        try {
            limit = limitText == null ? 100 : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIST) {
            return error(StatusCodes.BAD_REQUEST, "limit '" + Brief.text(limitText) + "' must be a number in 1.."
                    + MAX_LIST);
        }
        return onSuccess(Failures.naming(colony.jobs(phase, limit), "the job list").thenCompose(views::withProgress),
                body -> json(StatusCodes.OK, body));
    }

    /** A page of job {@code id}'s tasks with its status ({@link TaskPage}), or 400 naming the bad parameter. */
    private Route status(String id, String tasks, String page, String size) {
        TaskPage p;
        try {
            p = TaskPage.parse(tasks, page, size);
        } catch (IllegalArgumentException e) {
            return error(StatusCodes.BAD_REQUEST, e.getMessage());
        }
        return onSuccess(ofJob(id, colony.tasks(id, p.state(), p.page(), p.size())), this::status);
    }

    private Route status(JobStatus s) {
        return s.phase() == JobStatus.Phase.UNKNOWN ? error(StatusCodes.NOT_FOUND, "no job with id '" + s.jobId() + "'")
                : json(StatusCodes.OK, s);
    }

    /** An ended job's result with its outputs (large ones read back from the output store); 409 while it runs. */
    private Route result(String id, JobStatus s) {
        return switch (s.phase()) {
            case UNKNOWN -> error(StatusCodes.NOT_FOUND, "no job with id '" + id + "'");
            case RUNNING, QUEUED -> error(StatusCodes.CONFLICT, "job '" + id + "' is still " + (s.phase()
                    == JobStatus.Phase.QUEUED ? "queued" : "running") + "; GET /jobs/" + id + " shows its progress");
            default -> onSuccess(ofJob(id, colony.result(id).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)),
                    r -> json(StatusCodes.OK, r));
        };
    }

    private Route cancel(String id, JobStatus s) {
        if (s.phase() == JobStatus.Phase.UNKNOWN) {
            return error(StatusCodes.NOT_FOUND, "no job with id '" + id + "'");
        }
        colony.cancel(id, "cancelled through the HTTP API");
        return json(StatusCodes.ACCEPTED, Map.of("id", id, "cancelled", s.phase() == JobStatus.Phase.RUNNING
                || s.phase() == JobStatus.Phase.QUEUED));
    }

    /** The learner's view (deployed policy, canary, generation, history); 404 when this runtime runs none. */
    private Route learner() {
        if (!colony.settings().learner().enabled()) {
            return error(StatusCodes.NOT_FOUND, "the learner is off (colony.learner.enabled)");
        }
        return onSuccess(Failures.naming(colony.learner(), "the learner"), view -> json(StatusCodes.OK, views.inWords(view)));
    }

    private static byte[] jsonBytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private Route json(StatusCode code, Object body) {
        return complete(code, HttpEntities.create(ContentTypes.APPLICATION_JSON, jsonBytes(body)));
    }

    private Route error(StatusCode code, String message) {
        return json(code, Map.of("error", message));
    }

    /** Akka HTTP's rejections (too large, no such route, wrong method) as JSON errors. */
    private RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.status().intValue() == 413) { // Akka's text names its own setting
                return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, jsonBytes(Map.of("error",
                        tooLargeText()))));
            }
            if (response.entity() instanceof HttpEntity.Strict strict
                    && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                        jsonBytes(Map.of("error", strict.getData().utf8String()))));
            }
            return response;
        });
    }

    /**
     * A body over the limit read in full (no Content-Length) is 413 too; a time-out 504 naming what
     * did not answer, an unavailable journal 503 with Retry-After, anything else 500: all JSON.
     */
    private ExceptionHandler errors() {
        return ExceptionHandler.newBuilder()
                .match(EntityStreamSizeException.class, e -> tooLarge())
                .matchAny(e -> {
                    Failures.Answer a = Failures.of(e);
                    if (a.status().intValue() == 500) {
                        colony.system().log().error("HTTP API: unexpected failure", e);
                    }
                    return a.retryAfterSeconds() > 0 ? respondWithHeader(RetryAfter.create(a.retryAfterSeconds()),
                            () -> error(a.status(), a.error())) : error(a.status(), a.error());
                })
                .build();
    }

    private Route tooLarge() {
        return error(StatusCodes.PAYLOAD_TOO_LARGE, tooLargeText());
    }

    private String tooLargeText() {
        return "the request body is larger than colony.http.max-body = " + settings.maxBodyBytes() + " bytes";
    }
}
