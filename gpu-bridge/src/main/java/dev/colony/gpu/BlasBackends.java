package dev.colony.gpu;

import dev.colony.gpu.java.JavaBlas;
import dev.colony.gpu.openblas.OpenBlas;
import java.util.ArrayList;
import java.util.List;

/**
 * The BLAS backends this machine can use, best first, and a one-line reason for each one it
 * cannot. The pure-Java backend is always usable, so {@link #best()} always answers.
 *
 * @param usable      backends that loaded, best first
 * @param unavailable why the others did not, one line each
 */
public record BlasBackends(List<Blas> usable, List<String> unavailable) {

    /** Copies the lists. */
    public BlasBackends {
        usable = List.copyOf(usable);
        unavailable = List.copyOf(unavailable);
    }

    /** Looks for every backend now. */
    public static BlasBackends detect() {
        List<Blas> usable = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        unavailable.add("cuBLAS: not in this build yet");
        try {
            usable.add(OpenBlas.load());
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            unavailable.add(e.getMessage());
        }
        usable.add(new JavaBlas());
        return new BlasBackends(usable, unavailable);
    }

    /** {@link #detect()}, done once per process. */
    public static BlasBackends detected() {
        return Detected.INSTANCE;
    }

    private static final class Detected {
        static final BlasBackends INSTANCE = detect(); // on first use, by the class loader's lock
    }

    /** The best usable backend. */
    public Blas best() {
        return usable.getFirst();
    }

    /** One line per backend: what is used and what is not, and why. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Blas b : usable) {
            String detail = switch (b) {
                case OpenBlas o -> " (" + o.origin() + ", " + o.threads() + " threads)";
                case JavaBlas j -> " (" + JavaBlas.kernel() + ", " + j.threads() + " threads)";
                default -> "";
            };
            lines.add(b.name() + ": usable" + detail);
        }
        lines.addAll(unavailable);
        return lines;
    }
}
