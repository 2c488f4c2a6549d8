/**
 * Jobs: the {@link dev.colony.actors.job.JobSpec} users submit, its validation, the
 * {@link dev.colony.actors.job.JobManager} that accepts it and the sharded
 * {@link dev.colony.actors.job.Job} entity that walks its DAG, sending its tasks' work to their
 * entities, or their Runs straight to a node that handed a lease on
 * ({@link dev.colony.actors.job.DirectRuns}).
 */
package dev.colony.actors.job;
