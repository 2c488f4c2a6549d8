package dev.colony.peers;

import java.util.Locale;

/** The line every peer prints, which {@code benchmarks/peers.sh} reads: {@code PEER name: N tasks in S s = R tasks/s}. */
final class Rate {

    private Rate() {
    }

    /** A warm-up or measured run. */
    interface Run {
        void run(int round) throws Exception;
    }

    /**
     * Runs {@code run} (round 0, 1, ...) until {@code --warm-up-seconds} (default 60, as {@code colony
     * bench throughput}) have passed, at least once: on two cores the JIT compilers take that long.
     */
    static void warmUp(String[] args, Run run) throws Exception {
        long until = System.nanoTime() + option(args, "--warm-up-seconds", 60) * 1_000_000_000L;
        int round = 0;
        do {
            run.run(round++);
        } while (System.nanoTime() < until);
    }

    static void print(String name, int tasks, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "PEER %s: %d tasks in %.2f s = %.0f tasks/s%n", name, tasks, seconds,
                tasks / seconds);
    }

    /** The int after {@code flag} in {@code args}, or {@code otherwise}. */
    static int option(String[] args, String flag, int otherwise) {
        String v = text(args, flag, null);
        return v == null ? otherwise : Integer.parseInt(v);
    }

    static String text(String[] args, String flag, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(flag)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
