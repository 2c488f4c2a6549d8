package dev.colony.actors.task;

import akka.actor.typed.RecipientRef;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSpec;
import dev.colony.actors.node.NodeView;
import dev.colony.actors.policy.PolicyBoard;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What every task entity of a process shares.
 *
 * @param policies the deployed placement policies, by version
 * @param jobs     job id → where to report (the job's sharded entity; a probe in tests)
 * @param workSize a task's work size, as its kernel measures it ({@code Kernel#workSize})
 */
public record TaskDeps(TaskSettings settings, PolicyBoard policies, NodeView nodes,
                       Function<String, RecipientRef<Job.Command>> jobs, ToDoubleFunction<TaskSpec> workSize) {
}
