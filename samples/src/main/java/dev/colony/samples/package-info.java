/**
 * Examples to copy: {@link dev.colony.samples.MonteCarloPiKernel} (a user-defined kernel, found
 * through {@code META-INF/services}) and {@link dev.colony.samples.EmbeddedService} (Colony
 * embedded in a plain Java program, fanning work out and reducing it).
 */
package dev.colony.samples;
