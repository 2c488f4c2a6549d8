package dev.colony.samples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A blocked matrix multiply spread over a cluster: {@code C = A·B} with A cut into {@code tiles}
 * row panels and B into {@code tiles} column panels, each made by a {@code matrix} task as a tensor
 * in its node's output store; each of the tiles² {@code gemm} tasks multiplies one A panel by one B
 * panel, fetching them over the data plane when they lie on another node. The same job runs first on
 * a runtime of one node (the baseline), then on the cluster, and the speed-up is printed with a
 * check that both computed the same C (per-tile sums and Frobenius norm).
 *
 * <pre>
 * # one process, three nodes in it (no data plane needed):
 * java -cp "samples/target/classes:runtime/target/classes:runtime/target/lib/*" \
 *      dev.colony.samples.DistributedGemm --size 2048 --tiles 4 --nodes 3
 * # or join a cluster of colony node processes sharing a PostgreSQL journal:
 * java ... -Dcolony.persistence.journal=postgres -Dcolony.persistence.postgres.url=... \
 *      dev.colony.samples.DistributedGemm --size 2048 --tiles 4 --seed 127.0.0.1:2551
 * </pre>
 */
public final class DistributedGemm {

    private DistributedGemm() {
    }

    /** The blocked multiply of two seeded {@code size × size} matrices of {@code dtype}, in tiles² gemm tasks. */
    public static JobSpec job(String id, int size, int tiles, String dtype) {
        if (tiles < 1 || size % tiles != 0) {
            throw new IllegalArgumentException("--tiles = " + tiles + " must divide --size = " + size);
        }
        int panel = size / tiles;
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            tasks.add(TaskSpec.of("a" + i, "matrix", Map.of("rows", panel, "cols", size, "dtype", dtype, "seed", i)));
            tasks.add(TaskSpec.of("b" + i, "matrix", Map.of("rows", size, "cols", panel, "dtype", dtype,
                    "seed", 1000 + i)));
        }
        for (int i = 0; i < tiles; i++) {
            for (int j = 0; j < tiles; j++) {
                tasks.add(TaskSpec.of("c" + i + "-" + j, "gemm", Map.of("dtype", dtype))
                        .withInputs(Map.of("a", "a" + i, "b", "b" + j)));
            }
        }
        return JobSpec.of(id, tasks);
    }

    /** What a run computed and how long it took. */
    public record Run(long elapsedMs, double sum, double frobenius, Map<String, String> placement) {
    }

    /** Runs {@link #job} on {@code colony}; fails when the job does not succeed. */
    public static Run run(Colony colony, String id, int size, int tiles, String dtype) {
        JobResult r = colony.submit(job(id, size, tiles, dtype)).toCompletableFuture().join();
        if (!r.succeeded()) {
            throw new IllegalStateException("job " + id + " " + r.outcome() + ": " + r.reason());
        }
        double sum = 0;
        double squares = 0;
        Map<String, String> placement = new TreeMap<>();
        for (var e : r.outputs().entrySet()) {
            if (e.getKey().startsWith("c")) {
                sum += e.getValue().path("sum").asDouble();
                squares += Math.pow(e.getValue().path("frobenius").asDouble(), 2);
            }
            placement.put(e.getKey(), r.tasks().get(e.getKey()).node());
        }
        return new Run(r.elapsedMs(), sum, Math.sqrt(squares), placement);
    }

    /** A runtime of {@code nodes} one-core nodes in this process, on an H2 journal under {@code dir}. */
    public static Colony local(Path dir, int nodes) {
        StringBuilder extra = new StringBuilder();
        for (int i = 2; i <= nodes; i++) {
            extra.append("{ name = n").append(i).append(" }, ");
        }
        return Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence.journal = h2
                colony.persistence.data-dir = "%s"
                colony.node { name = n1, cpus = 1 }
                colony.nodes = [%s]
                colony.placement.policy = least-loaded
                colony.learner.enabled = off
                """.formatted(dir.toString().replace('\\', '/'), extra))));
    }

    /** {@code --size N --tiles T --dtype f32|f64 (--nodes K | --seed HOST:PORT)}. */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new TreeMap<>(Map.of("--size", "2048", "--tiles", "4", "--dtype", "f32",
                "--nodes", "3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        int size = Integer.parseInt(opts.get("--size"));
        int tiles = Integer.parseInt(opts.get("--tiles"));
        String dtype = opts.get("--dtype");
        Run one;
        try (Colony single = local(Files.createTempDirectory("colony-gemm-1"), 1)) {
            run(single, "warm-up", size / 2, tiles, dtype);
            one = run(single, "gemm-one-node", size, tiles, dtype);
        }
        System.out.printf("one node:   %d ms%n", one.elapsedMs());
        Run many;
        String seed = opts.get("--seed");
        try (Colony cluster = seed == null ? local(Files.createTempDirectory("colony-gemm-n"),
                Integer.parseInt(opts.get("--nodes"))) : Colony.start(joining(seed))) {
            run(cluster, "warm-up-" + System.nanoTime(), size / 2, tiles, dtype);
            many = run(cluster, "gemm-" + System.nanoTime(), size, tiles, dtype);
            System.out.printf("%d nodes:   %d ms, tiles placed %s%n", cluster.nodes().size(), many.elapsedMs(),
                    many.placement());
        }
        double error = Math.abs(many.frobenius() - one.frobenius()) / one.frobenius();
        System.out.printf("speed-up %.2fx; C: sum %.6g vs %.6g, Frobenius %.6g vs %.6g (relative difference %.1e)%n",
                one.elapsedMs() / (double) many.elapsedMs(), many.sum(), one.sum(), many.frobenius(), one.frobenius(),
                error);
        if (error > 1e-6) {
            System.err.println("the two runs computed different matrices");
            System.exit(1);
        }
    }

    /** This process as a cluster member with one one-core node, joining {@code seed}; journal from -D / application.conf. */
    private static ColonySettings joining(String seed) {
        Config c = ConfigFactory.parseString("""
                colony.node { name = "gemm-%d", cpus = 1 }
                colony.seed-nodes = ["%s"]
                colony.learner.enabled = off
                """.formatted(ProcessHandle.current().pid(), seed));
        return ColonySettings.fromConfig(c);
    }
}
