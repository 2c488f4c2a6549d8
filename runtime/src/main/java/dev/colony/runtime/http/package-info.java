/**
 * Colony's HTTP API, served by a runtime with {@code colony.http.enabled = on} ({@code colony node
 * --http-port}): {@link dev.colony.runtime.http.HttpApi} (routes over Akka HTTP),
 * {@link dev.colony.runtime.http.HttpSettings} ({@code colony.http.*}) and the Prometheus metrics
 * it serves.
 */
package dev.colony.runtime.http;
