package dev.colony.gpu;

import dev.colony.gpu.cuda.CudaLibraries;
import dev.colony.gpu.cuda.CudaRuntime;
import dev.colony.gpu.java.JavaBlas;
import dev.colony.gpu.openblas.OpenBlas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BLAS backends this machine can use, best CPU one first, the GPUs cuBLAS can drive, and a
 * one-line reason for each backend it cannot use. The pure-Java backend is always usable, so
 * {@link #best()} always answers. cuBLAS is not in {@link #usable()}: a GPU is driven from the
 * thread that owns it ({@link dev.colony.gpu.cuda.CuBlas#open}), which Colony's GpuBridge actor does.
 *
 * @param usable      CPU backends that loaded, best first
 * @param gpus        the CUDA libraries and device count, when there is at least one GPU
 * @param unavailable why the others did not, one line each
 */
public record BlasBackends(List<Blas> usable, Optional<Gpus> gpus, List<String> unavailable) {

    /**
     * GPUs cuBLAS can use.
     *
     * @param libraries the libcudart and libcublas found
     * @param count     number of CUDA devices
     * @param runtime   CUDA runtime version
     */
    public record Gpus(CudaLibraries libraries, int count, String runtime) {
    }

    /** Copies the lists. */
    public BlasBackends {
        usable = List.copyOf(usable);
        unavailable = List.copyOf(unavailable);
    }

    /** Looks for every backend now. */
    public static BlasBackends detect() {
        return detect(System.getenv());
    }

    /** Looks for every backend now, reading CUDA's locations from {@code env}. */
    public static BlasBackends detect(Map<String, String> env) {
        List<Blas> usable = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        Optional<Gpus> gpus = findGpus(env, unavailable);
        try {
            usable.add(OpenBlas.load());
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            unavailable.add(e.getMessage());
        }
        usable.add(new JavaBlas());
        return new BlasBackends(usable, gpus, unavailable);
    }

    /** Looks for GPUs only (no CPU backend is loaded); adds one line to {@code unavailable} when there are none. */
    public static Optional<Gpus> findGpus(Map<String, String> env, List<String> unavailable) {
        StringBuilder why = new StringBuilder();
        Optional<CudaLibraries> libraries = CudaLibraries.find(env, why);
        if (libraries.isEmpty()) {
            unavailable.add(why.toString());
            return Optional.empty();
        }
        CudaLibraries libs = libraries.get();
        try {
            CudaRuntime cuda = CudaRuntime.load(libs.cudart());
            int count = cuda.deviceCount(why);
            if (count == 0) {
                unavailable.add("cuBLAS: " + (why.isEmpty() ? "no CUDA device" : why) + " (" + libs.cudart() + ")");
                return Optional.empty();
            }
            return Optional.of(new Gpus(libs, count, cuda.version()));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            unavailable.add("cuBLAS: " + libs.cudart() + " could not be used: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * This machine's GPUs ({@link #findGpus} with the process's environment), looked for once per
     * process: settings and node start-up ask for every node, and a search loads libcudart.
     */
    public static Optional<Gpus> localGpus() {
        return LocalGpus.GPUS;
    }

    /** Why {@link #localGpus()} is empty (empty when it is not). */
    public static String whyNoLocalGpu() {
        return LocalGpus.WHY;
    }

    private static final class LocalGpus {
        static final List<String> REASONS = new ArrayList<>();
        static final Optional<Gpus> GPUS = findGpus(System.getenv(), REASONS);
        static final String WHY = String.join("; ", REASONS);
    }

    /** {@link #detect()}, done once per process. */
    public static BlasBackends detected() {
        return Detected.INSTANCE;
    }

    private static final class Detected {
        static final BlasBackends INSTANCE = detect(); // on first use, by the class loader's lock
    }

    /** The best usable CPU backend. */
    public Blas best() {
        return usable.getFirst();
    }

    /** One line per backend: what is used and what is not, and why. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        gpus.ifPresent(g -> lines.add("cublas: usable (" + g.count() + " GPU(s), CUDA runtime " + g.runtime() + ", "
                + g.libraries().cublas() + ")"));
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
