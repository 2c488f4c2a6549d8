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
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colony.actors.job.JobEntry;
import dev.colony.actors.job.JobIndex;
import dev.colony.actors.job.JobLimits;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.kernel.Brief;
import dev.colony.actors.learner.LearnerView;
import dev.colony.actors.policy.Deployment;
import dev.colony.runtime.Colony;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Colony's HTTP API (Akka HTTP): {@code POST /jobs} submits a job spec (JSON, as {@code colony
 * submit} reads it), {@code GET /jobs} lists the latest jobs ({@code ?phase=running&limit=N}),
 * {@code GET /jobs/{id}} a job's status (tasks, placements, attempts, timings),
 * {@code DELETE /jobs/{id}} cancels it, {@code GET /nodes} lists the nodes with their capacity and
 * load, {@code GET /learner} shows the learner (deployed policy, canary, generation, history),
 * {@code GET /metrics} the runtime's metrics in the Prometheus text format ({@link ColonyMetrics});
 * {@code /ui/} is the live dashboard, a page that polls these.
 * Every other answer is JSON; an error is {@code {"error": "..."}} with the field, value or limit
 * named: 400 for a body that is not a valid job, 404 for an unknown job or path, 409 for a job id in
 * use, 413 for a body over {@code colony.http.max-body}, 401 without the bearer token when one is set.
 */
public final class HttpApi extends AllDirectives {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    /** Most jobs one {@code GET /jobs} lists. */
    static final int MAX_LIST = 1000;

    /** How many running jobs of a listing are asked for their progress. */
    static final int PROGRESS_OF = 20;

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
    private final ColonyMetrics metrics;
    private final SpecIntake intake;
    private final byte[] expectedAuthorization;

    private HttpApi(Colony colony, HttpSettings settings, SpecIntake intake) {
        this.colony = colony;
        this.settings = settings;
        this.metrics = new ColonyMetrics(colony);
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
        return respondWithDefaultHeaders(SECURITY_HEADERS, () -> handleExceptions(errors(),
                () -> handleRejections(rejections(), () -> ownOrigin(
                        () -> concat(dashboard(), authorized(this::api))))));
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
                pathPrefix("jobs", this::jobs),
                path("nodes", () -> get(() -> onSuccess(nodes(), nodes -> json(StatusCodes.OK, nodes)))),
                path("learner", () -> get(this::learner)),
                path("metrics", () -> get(() -> onSuccess(metrics.scrape(), text -> complete(StatusCodes.OK,
                        HttpEntities.create(METRICS_TYPE, text))))));
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
                        get(() -> known(id, () -> onSuccess(colony.status(id), this::status))),
                        delete(() -> known(id, () -> onSuccess(colony.status(id), s -> cancel(id, s)))))));
    }

    /** 404 for an id no job can have, or one the job list does not know, without starting a job entity. */
    private Route known(String id, Supplier<Route> inner) {
        if (id.length() > JobLimits.MAX_ID_LENGTH) {
            return error(StatusCodes.NOT_FOUND, "no job with id '" + Brief.text(id) + "'");
        }
        return onSuccess(colony.knows(id), known -> known ? inner.get() : error(StatusCodes.NOT_FOUND,
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

    private Route accept(JobSpec spec) {
        return onSuccess(colony.status(spec.id()), known -> {
            if (known.phase() != JobStatus.Phase.UNKNOWN) {
                return error(StatusCodes.CONFLICT, "job id '" + spec.id() + "' is already in use (its job is "
                        + known.phase().name().toLowerCase(Locale.ROOT) + ")");
            }
            colony.submit(spec);
            Map<String, Object> accepted = new LinkedHashMap<>();
            accepted.put("id", spec.id());
            accepted.put("status", "/jobs/" + spec.id());
            return json(StatusCodes.ACCEPTED, accepted);
        });
    }

    /** The latest jobs, newest first; running ones (the first {@value #PROGRESS_OF}) with their progress. */
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
        return onSuccess(colony.jobs(phase, limit).thenCompose(this::withProgress), body -> json(StatusCodes.OK, body));
    }

    /**
     * The listing as JSON, each of its first running jobs with {@code done} (how many tasks
     * succeeded) and {@code runningTasks}; a succeeded job's {@code done} is all its tasks.
     */
    private CompletionStage<Map<String, Object>> withProgress(JobIndex.Listing listing) {
        List<CompletableFuture<Map<String, Object>>> jobs = new ArrayList<>();
        int asked = 0;
        for (JobEntry j : listing.jobs()) {
            Map<String, Object> m = JSON.convertValue(j, new TypeReference<>() {
            });
            if (!j.ended() && asked++ < PROGRESS_OF) {
                jobs.add(colony.progress(j.id()).toCompletableFuture().handle((status, failure) -> {
                    if (status != null && status.phase() != JobStatus.Phase.UNKNOWN) {
                        m.put("done", status.count(TaskSummary.TaskState.SUCCEEDED));
                        m.put("runningTasks", status.count(TaskSummary.TaskState.RUNNING));
                    }
                    return m;
                }));
            } else {
                m.put("done", j.phase() == JobStatus.Phase.SUCCEEDED ? j.tasks() : null);
                jobs.add(CompletableFuture.completedFuture(m));
            }
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("running", listing.running());
            body.put("succeeded", listing.succeeded());
            body.put("failed", listing.failed());
            body.put("jobs", jobs.stream().map(CompletableFuture::join).toList());
            return body;
        });
    }

    private Route status(JobStatus s) {
        return s.phase() == JobStatus.Phase.UNKNOWN ? error(StatusCodes.NOT_FOUND, "no job with id '" + s.jobId() + "'")
                : json(StatusCodes.OK, s);
    }

    private Route cancel(String id, JobStatus s) {
        if (s.phase() == JobStatus.Phase.UNKNOWN) {
            return error(StatusCodes.NOT_FOUND, "no job with id '" + id + "'");
        }
        colony.cancel(id, "cancelled through the HTTP API");
        return json(StatusCodes.ACCEPTED, Map.of("id", id, "cancelled", s.phase() == JobStatus.Phase.RUNNING));
    }

    /** The learner's view (deployed policy, canary, generation, history); 404 when this runtime runs none. */
    private Route learner() {
        if (!colony.settings().learner().enabled()) {
            return error(StatusCodes.NOT_FOUND, "the learner is off (colony.learner.enabled)");
        }
        return onSuccess(colony.learner(), view -> json(StatusCodes.OK, inWords(view)));
    }

    /** The view, with the built-in policy's name and the deployed, canary and every recorded genome in words. */
    private ObjectNode inWords(LearnerView view) {
        ObjectNode tree = JSON.valueToTree(view);
        Deployment d = view.state().deployment();
        tree.put("basePolicy", colony.settings().policy());
        tree.put("deployedInWords", d.incumbentGenome() == null ? "the built-in " + colony.settings().policy()
                + " policy" : d.incumbentGenome().describe());
        tree.put("canaryInWords", d.canaryGenome() == null ? null : d.canaryGenome().describe());
        var history = (ArrayNode) tree.path("state").path("history");
        for (int i = 0; i < history.size(); i++) {
            ((ObjectNode) history.get(i)).put("words", view.state().history().get(i).genome().describe());
        }
        return tree;
    }

    /** Every node with its capacity and, when it answers in time, its load. */
    private CompletionStage<List<Map<String, Object>>> nodes() {
        return colony.loads().thenApply(loads -> loads.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.getKey().name());
            m.put("capacity", e.getKey().capacity());
            m.put("speedFactor", e.getKey().speedFactor());
            m.put("load", e.getValue());
            return m;
        }).toList());
    }

    private Route json(StatusCode code, Object body) {
        try {
            return complete(code, HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private Route error(StatusCode code, String message) {
        return json(code, Map.of("error", message));
    }

    /** Akka HTTP's rejections (too large, no such route, wrong method) as JSON errors. */
    private RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity() instanceof HttpEntity.Strict strict
                    && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                String text = strict.getData().utf8String();
                try {
                    return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                            JSON.writeValueAsBytes(Map.of("error", text))));
                } catch (JsonProcessingException e) {
                    return response;
                }
            }
            return response;
        });
    }

    /** A body over the limit read in full (no Content-Length) is 413 too; anything else unexpected 500. */
    private ExceptionHandler errors() {
        return ExceptionHandler.newBuilder()
                .match(EntityStreamSizeException.class, e -> error(
                        StatusCodes.PAYLOAD_TOO_LARGE, "the request body is larger than colony.http.max-body = "
                                + settings.maxBodyBytes() + " bytes"))
                .build();
    }
}
