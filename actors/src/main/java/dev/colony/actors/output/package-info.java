/**
 * Task outputs: small ones travel inline, large ones lie in a node-local, checksummed, quota-bound
 * {@link dev.colony.actors.output.OutputStore} and travel as references.
 */
package dev.colony.actors.output;
