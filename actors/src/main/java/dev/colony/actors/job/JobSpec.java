package dev.colony.actors.job;

import dev.colony.actors.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * A job: a DAG of tasks submitted as one unit. Validated by {@link JobValidator} on submission;
 * a job that passes ends Succeeded or Failed, one that does not is Rejected with the reason.
 *
 * @param id       unique job id; letters, digits, {@code . _ -}, at most 200 characters
 * @param tasks    the tasks, in any order; edges come from their inputs and dependsOn
 * @param priority higher runs first where nodes queue work; 0 when absent
 * @param labels   free-form key/value labels carried to results and metrics
 */
public record JobSpec(String id, List<TaskSpec> tasks, int priority, Map<String, String> labels)
        implements CborSerializable {

    /** Replaces absent collections with empty ones. */
    public JobSpec {
        // Null elements are kept so that validation can name them instead of failing here.
        tasks = tasks == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tasks));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** A job with default priority and no labels. */
    public static JobSpec of(String id, List<TaskSpec> tasks) {
        return new JobSpec(id, tasks, 0, Map.of());
    }

    /** A copy with other tasks. */
    public JobSpec withTasks(List<TaskSpec> newTasks) {
        return new JobSpec(id, newTasks, priority, labels);
    }
}
