package dev.colony.actors.job;

import java.util.Locale;

/** Human-readable byte counts for messages: {@code 512MiB}, {@code 3.5GiB}. */
public final class Bytes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {
    }

    /** Formats {@code bytes} with a binary unit. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v) ? (long) v + UNITS[u] : String.format(Locale.ROOT, "%.1f%s", v, UNITS[u]);
    }
}
