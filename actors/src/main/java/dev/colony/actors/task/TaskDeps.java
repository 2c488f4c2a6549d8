package dev.colony.actors.task;

import akka.actor.typed.RecipientRef;
import dev.colony.actors.job.Job;
import dev.colony.actors.node.NodeView;
import dev.colony.actors.policy.PlacementPolicy;
import java.util.function.Function;

/**
 * What every task entity of a process shares.
 *
 * @param jobs job id → where to report (the job's sharded entity; a probe in tests)
 */
public record TaskDeps(TaskSettings settings, PlacementPolicy policy, NodeView nodes,
                       Function<String, RecipientRef<Job.Command>> jobs) {
}
