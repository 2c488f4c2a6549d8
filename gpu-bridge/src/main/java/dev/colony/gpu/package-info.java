/**
 * Off-heap matrices and the {@link dev.colony.gpu.Blas} interface that every BLAS backend
 * implements. This module depends on {@code java.base} only so it can run alone on a GPU machine.
 */
package dev.colony.gpu;
