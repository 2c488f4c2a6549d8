/** The OpenBLAS backend: the system's libopenblas or the bundled build, called through FFM. */
package dev.colony.gpu.openblas;
