/**
 * The kernel SPI ({@link dev.colony.actors.kernel.Kernel}, {@link dev.colony.actors.kernel.TaskContext}),
 * the {@link dev.colony.actors.kernel.KernelRegistry} that discovers kernels with
 * {@link java.util.ServiceLoader}, and the built-in kernels {@code gemm}, {@code spin},
 * {@code noop} and {@code sum}.
 */
package dev.colony.actors.kernel;
