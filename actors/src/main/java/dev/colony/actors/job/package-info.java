/**
 * Jobs: the {@link dev.colony.actors.job.JobSpec} users submit, its validation, the
 * {@link dev.colony.actors.job.JobManager} that accepts it and the sharded
 * {@link dev.colony.actors.job.Job} entity that walks its DAG.
 */
package dev.colony.actors.job;
