/** The {@code colony} command line (picocli): demo, submit, info. */
package dev.colony.runtime.cli;
