package dev.colony.runtime.http;

import dev.colony.actors.job.JobResult;
import dev.colony.actors.learner.LearnerView;
import dev.colony.actors.node.NodeDescriptor;
import dev.colony.actors.node.NodeLoad;
import dev.colony.runtime.Colony;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One runtime's metrics in the Prometheus text format, through the Prometheus Java client with a
 * registry of its own (several runtimes may share a JVM): each node's capacity and load, the jobs
 * that ended here by outcome, and the learner's generation and deployed policy version. A scrape
 * first asks the nodes and the learner, then writes what they said.
 */
final class ColonyMetrics {

    /** The content type of what {@link #scrape()} writes. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final Colony colony;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile List<NodeLoad> loads = List.of();
    private volatile LearnerView learner;

    ColonyMetrics(Colony colony) {
        this.colony = colony;
        node("colony_node_capacity_cpus", "Cores the node offers to tasks", l -> l.capacity().cpus());
        node("colony_node_reserved_cpus", "Cores held by the node's leases", l -> l.reserved().cpus());
        node("colony_node_running_tasks", "Kernels running on the node", NodeLoad::running);
        node("colony_node_leased_tasks", "Leases granted and not yet running", NodeLoad::granted);
        node("colony_node_queued_tasks", "Accepted tasks waiting for the node's resources", NodeLoad::queued);
        node("colony_node_gpu_busy_ratio", "Share of the time the node's GPUs were busy between its monitor's last "
                + "two samples (nodes with GPUs)", NodeLoad::gpuUse);
        CounterWithCallback.builder().name("colony_jobs_ended").help("Jobs whose entity ran in this process, by outcome")
                .labelNames("outcome").callback(cb -> {
                    for (JobResult.Outcome o : JobResult.Outcome.values()) {
                        cb.call(colony.jobsEnded(o), o.name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);
        learner("colony_learner_generation", "Generations the learner has evolved", v -> v.state().generation());
        learner("colony_learner_deployed_version", "Placement policy version every job gets unless it is on the "
                + "canary slice", v -> v.state().deployment().incumbent());
    }

    private void learner(String name, String help, ToDoubleFunction<LearnerView> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            LearnerView v = learner;
            if (v != null) {
                cb.call(value.applyAsDouble(v));
            }
        }).register(registry);
    }

    /** A gauge per node; a node whose {@code value} is negative (not measured) has none. */
    private void node(String name, String help, ToDoubleFunction<NodeLoad> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("node").callback(cb -> loads.forEach(l -> {
            double v = value.applyAsDouble(l);
            if (v >= 0) {
                cb.call(v, l.nodeName());
            }
        })).register(registry);
    }

    /** Asks the nodes and the learner (each may take up to 5 s), then writes every metric. */
    CompletionStage<byte[]> scrape() {
        CompletableFuture<Map<NodeDescriptor, NodeLoad>> asks = colony.loads().toCompletableFuture();
        CompletableFuture<LearnerView> view = colony.settings().learner().enabled()
                ? colony.learner().toCompletableFuture().completeOnTimeout(null, 5, TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                : CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(asks, view)
                .thenApply(v -> {
                    loads = asks.join().values().stream().filter(Objects::nonNull).toList();
                    learner = view.join();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try {
                        writer.write(out, registry.scrape());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return out.toByteArray();
                });
    }
}
