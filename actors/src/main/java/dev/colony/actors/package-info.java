/**
 * Colony's domain actors and their protocols. Subpackages by concept: {@code job} (specs, the job
 * manager and job entity), {@code task} (the negotiating task entity), {@code node} (nodes,
 * offers, leases), {@code kernel} (the kernel SPI and built-in kernels), {@code policy}
 * (placement policies).
 */
package dev.colony.actors;
