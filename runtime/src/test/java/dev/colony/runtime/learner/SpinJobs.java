package dev.colony.runtime.learner;

import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random DAG jobs of spin tasks: 6 to 10 tasks of 40 to 160 ms at speed 1, each task depending on earlier ones with probability 0.4. */
final class SpinJobs {

    private SpinJobs() {
    }

    /** Job {@code index} of the stream seeded {@code seed}, with id {@code prefix-index}. */
    static JobSpec job(String prefix, long seed, int index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        int n = 6 + r.nextInt(5);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> parents = new ArrayList<>();
            for (int k = 0; k < i; k++) {
                if (r.nextDouble() < 0.4) {
                    parents.add("t" + k);
                }
            }
            tasks.add(TaskSpec.of("t" + i, "spin", Map.of("work", 40 + r.nextInt(121))).withDependsOn(parents));
        }
        return JobSpec.of(prefix + "-" + index, tasks);
    }
}
