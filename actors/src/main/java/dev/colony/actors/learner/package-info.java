/** The learner's knowledge: a performance model learned from the monitors' feedback. */
package dev.colony.actors.learner;
