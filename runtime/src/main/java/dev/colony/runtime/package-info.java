/**
 * Colony's public face: {@link dev.colony.runtime.Colony} (start a runtime, submit jobs, ask for
 * status), {@link dev.colony.runtime.ColonySettings} (read once from HOCON) and
 * {@link dev.colony.runtime.JobSpecReader} (jobs from JSON).
 */
package dev.colony.runtime;
