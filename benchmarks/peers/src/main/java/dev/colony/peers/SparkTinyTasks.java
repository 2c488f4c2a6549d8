package dev.colony.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Colony's tiny-task workload on Apache Spark in local mode: {@code --tasks} tasks that do nothing,
 * as jobs of {@code --job-size} tasks (one element per partition, so each element is one Spark
 * task) all submitted at once, as {@code colony bench throughput} submits its jobs; warm-up runs
 * of the same size first for {@code --warm-up-seconds} (60). Not durable: Spark keeps nothing of
 * a job that a crash would need.
 * Usage: {@code SparkTinyTasks [--tasks 20000] [--job-size 1000] [--master local[2]] [--warm-up-seconds 60]}.
 */
public final class SparkTinyTasks {

    private SparkTinyTasks() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = Rate.option(args, "--tasks", 20_000);
        int jobSize = Rate.option(args, "--job-size", 1_000);
        String master = Rate.text(args, "--master", "local[2]");
        SparkConf conf = new SparkConf().setMaster(master).setAppName("colony-peer").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Rate.warmUp(args, round -> run(sc, tasks, jobSize));
            long t0 = System.nanoTime();
            run(sc, tasks, jobSize);
            Rate.print("spark " + master, tasks, System.nanoTime() - t0);
        }
    }

    private static void run(JavaSparkContext sc, int tasks, int jobSize) throws Exception {
        List<JavaFutureAction<Void>> jobs = new ArrayList<>();
        for (int start = 0; start < tasks; start += jobSize) {
            int size = Math.min(jobSize, tasks - start);
            List<Integer> elements = IntStream.range(0, size).boxed().toList();
            jobs.add(sc.parallelize(elements, size).foreachAsync(x -> { }));
        }
        for (JavaFutureAction<Void> job : jobs) {
            job.get();
        }
    }
}
