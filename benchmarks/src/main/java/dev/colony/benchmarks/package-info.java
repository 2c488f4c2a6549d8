/** JMH benchmarks of Colony; not part of the product. Run with {@code benchmarks/run.sh}. */
package dev.colony.benchmarks;
