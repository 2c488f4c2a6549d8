package dev.colony.peers;

import java.util.Locale;

/** The line every peer prints, which {@code benchmarks/peers.sh} reads: {@code PEER name: N tasks in S s = R tasks/s}. */
final class Rate {

    private Rate() {
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
