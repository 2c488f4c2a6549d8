package dev.colony.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running node's HTTP API, for the CLI: requests to {@code --url} with the bearer token of
 * {@code COLONY_HTTP_TOKEN} when it is set. A node that cannot be reached, or answers 401 or a
 * server error, is a runtime error (exit 3); its other errors are the caller's to report.
 */
final class ApiClient {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    /** {@code json}, part of an answer, as the record the runtime wrote it from. */
    static <T> T as(JsonNode json, Class<T> type) {
        try {
            return JSON.treeToValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("the node answered a " + type.getSimpleName() + " this CLI cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** An answer: its status code and its JSON body (a null node when empty). */
    record Reply(int code, JsonNode body) {
        /** The API's error message. */
        String error() {
            return body.path("error").asText("HTTP " + code);
        }
    }

    private final String base;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String url, String token) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token == null ? "" : token;
    }

    /** A client of {@code url} with the token of {@code COLONY_HTTP_TOKEN}. */
    static ApiClient of(String url) {
        return new ApiClient(url, System.getenv("COLONY_HTTP_TOKEN"));
    }

    Reply send(String method, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + base, e);
        }
        Reply reply;
        try {
            reply = new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(base + path + " answered " + r.statusCode() + " with no JSON: " + r.body(), e);
        }
        if (r.statusCode() == 401 || r.statusCode() >= 500) {
            throw new IllegalStateException(base + path + ": " + reply.error()
                    + (r.statusCode() == 401 ? " (set COLONY_HTTP_TOKEN)" : ""));
        }
        return reply;
    }
}
