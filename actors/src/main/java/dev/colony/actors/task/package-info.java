/**
 * Tasks: the sharded {@link dev.colony.actors.task.Task} entity that negotiates with nodes for a
 * place to run, holds the lease, runs, retries and reports to its job.
 */
package dev.colony.actors.task;
