/**
 * The workload simulator: task graphs read from standard files (STG, the HEFT papers' examples),
 * schedules, and the schedulers Colony compares in it (HEFT and the runtime's own placement
 * policies driven by a discrete-event model of the nodes).
 */
package dev.colony.actors.sim;
