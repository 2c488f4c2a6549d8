/**
 * Feedback: one monitor per node records every finished attempt and samples the node, and
 * delivers them in batches to the learner, reliably.
 */
package dev.colony.actors.monitor;
