/**
 * Tasks: the sharded {@link dev.colony.actors.task.Task} entity that negotiates with nodes for a
 * place to run, holds the lease, runs, retries and reports to its job. A task lives on its job's
 * shard ({@link dev.colony.actors.task.TaskShards}) and journals nothing: its job journals its
 * attempts and outcome, and hands out its attempt numbers. A task its job runs itself under a lease
 * a node handed on starts no entity unless that attempt needs one
 * ({@link dev.colony.actors.task.Task.Adopt}).
 *
 * <p>Lineage: an attempt that cannot read inputs because their producer can no longer serve them
 * (its process died, or lost the file) does not count. The task tells its job, which runs the
 * producers again ({@code Execute} with more {@code reruns}: the finished producer negotiates
 * anew) and then sends the task its work with the new outputs;
 * {@link dev.colony.actors.task.LostInputs} drops Executes that still carry the lost ones.
 */
package dev.colony.actors.task;
