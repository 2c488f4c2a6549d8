/** The pure-Java BLAS backend: always available, no native code. */
package dev.colony.gpu.java;
