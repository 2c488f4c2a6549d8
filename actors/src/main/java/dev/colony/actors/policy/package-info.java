/**
 * Placement policies: which nodes a task asks for offers and which offer it takes. Built in:
 * round-robin, random, least-loaded and power-of-two-choices; HEFT and the evolved policy come
 * with the learner.
 */
package dev.colony.actors.policy;
