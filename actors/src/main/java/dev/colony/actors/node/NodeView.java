package dev.colony.actors.node;

import dev.colony.actors.job.ResourceRequest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The nodes this process currently knows, as an immutable snapshot that
 * {@link NodeDirectory} replaces whenever membership changes. Schedulers (tasks, the job manager)
 * read it without messaging. Thread-safe.
 */
public final class NodeView {

    private final AtomicReference<List<NodeDescriptor>> nodes = new AtomicReference<>(List.of());
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(java.util.function.Predicate<List<NodeDescriptor>> ready,
                          CompletableFuture<List<NodeDescriptor>> future) {
    }

    /** A view fixed to {@code nodes}, for tests and simulations that run without a directory. */
    public static NodeView of(List<NodeDescriptor> nodes) {
        NodeView v = new NodeView();
        v.replace(nodes);
        return v;
    }

    /** Every known node, sorted by name. */
    public List<NodeDescriptor> nodes() {
        return nodes.get();
    }

    /** Nodes whose total capacity can hold {@code request}, sorted by name. */
    public List<NodeDescriptor> fitting(ResourceRequest request) {
        List<NodeDescriptor> all = nodes.get();
        List<NodeDescriptor> fit = all.stream().filter(n -> request.fitsIn(n.capacity())).toList();
        return fit.size() == all.size() ? all : fit;
    }

    /** Node name → total capacity, for validation. */
    public Map<String, ResourceRequest> capacities() {
        var m = new LinkedHashMap<String, ResourceRequest>();
        nodes.get().forEach(n -> m.put(n.name(), n.capacity()));
        return m;
    }

    /** Completes once at least {@code count} nodes are known. */
    public CompletionStage<List<NodeDescriptor>> awaitAtLeast(int count) {
        return await(now -> now.size() >= count);
    }

    /** Completes once every node named in {@code names} is known. */
    public CompletionStage<List<NodeDescriptor>> awaitNames(java.util.Collection<String> names) {
        return await(now -> now.stream().map(NodeDescriptor::name).collect(java.util.stream.Collectors.toSet())
                .containsAll(names));
    }

    private CompletionStage<List<NodeDescriptor>> await(java.util.function.Predicate<List<NodeDescriptor>> ready) {
        var w = new Waiter(ready, new CompletableFuture<>());
        waiters.add(w);
        wake();
        return w.future();
    }

    /** Replaces the snapshot; called by {@link NodeDirectory} only. */
    void replace(List<NodeDescriptor> current) {
        nodes.set(current.stream().sorted(Comparator.comparing(NodeDescriptor::name)).toList());
        wake();
    }

    private void wake() {
        List<NodeDescriptor> now = nodes.get();
        for (Waiter w : waiters) {
            if (w.ready().test(now) && w.future().complete(now)) {
                waiters.remove(w);
            }
        }
    }
}
