package dev.colony.gpu.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds libcudart and libcublas on this machine, without loading them. Looks, in order, in
 * {@code $CUDA_HOME} (and {@code $CUDA_PATH}), every {@code LD_LIBRARY_PATH} entry, the usual CUDA
 * install folders ({@code /usr/local/cuda*}, {@code /opt/cuda}, the distribution's library folders)
 * and the {@code nvidia/*}{@code /lib} folders of Python installs (the {@code nvidia-cublas-cu12}
 * style wheels), accepting soname 13 or 12 (newest first).
 *
 * @param cudart  path of libcudart.so.N
 * @param cublas  path of libcublas.so.N
 * @param major   the soname major version (13 or 12)
 */
public record CudaLibraries(Path cudart, Path cublas, int major) {

    static final int[] MAJORS = {13, 12};

    /**
     * Finds a libcudart and libcublas of one soname version.
     *
     * @param env the environment to read ({@code System.getenv()} in production)
     * @return the libraries, or empty with {@code why} filled with one human line
     */
    public static Optional<CudaLibraries> find(Map<String, String> env, StringBuilder why) {
        List<Path> dirs = searchPath(env);
        for (int major : MAJORS) {
            Optional<Path> cublas = first(dirs, "libcublas.so." + major);
            Optional<Path> cudart = first(dirs, "libcudart.so." + major);
            if (cublas.isPresent() && cudart.isPresent()) {
                return Optional.of(new CudaLibraries(cudart.get(), cublas.get(), major));
            }
        }
        why.append("cuBLAS: libcublas.so.13/.12 with a matching libcudart not found in ")
                .append(dirs.isEmpty() ? "any folder (set CUDA_HOME)" : summary(dirs));
        findRuntime(env).ifPresent(cudart -> why.append(" (").append(cudart).append(" is there)"));
        return Optional.empty();
    }

    /** The first libcudart of an accepted soname, alone (a CUDA toolkit without cuBLAS has one). */
    public static Optional<Path> findRuntime(Map<String, String> env) {
        List<Path> dirs = searchPath(env);
        for (int major : MAJORS) {
            Optional<Path> cudart = first(dirs, "libcudart.so." + major);
            if (cudart.isPresent()) {
                return cudart;
            }
        }
        return Optional.empty();
    }

    /** The folders searched, existing ones only, in order. */
    static List<Path> searchPath(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                dirs.add(Path.of(home, "lib64"));
                dirs.add(Path.of(home, "lib"));
                dirs.add(Path.of(home, "targets", "x86_64-linux", "lib"));
            }
        }
        String ld = env.getOrDefault("LD_LIBRARY_PATH", "");
        for (String entry : ld.split(":")) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        dirs.addAll(children(Path.of("/usr/local"), "cuda-*", "lib64"));
        dirs.add(Path.of("/opt/cuda/lib64"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib"));
        for (Path site : pythonSitePackages(env)) {
            dirs.add(site.resolve("nvidia/cublas/lib"));
            dirs.add(site.resolve("nvidia/cuda_runtime/lib"));
            dirs.add(site.resolve("nvidia/cu13/lib")); // CUDA 13 wheels put every library in one folder
        }
        return dirs.stream().filter(Files::isDirectory).toList();
    }

    private static List<Path> pythonSitePackages(Map<String, String> env) {
        List<Path> roots = new ArrayList<>();
        String venv = env.get("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            roots.add(Path.of(venv, "lib"));
        }
        String conda = env.get("CONDA_PREFIX");
        if (conda != null && !conda.isBlank()) {
            roots.add(Path.of(conda, "lib"));
        }
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home, ".local", "lib"));
        }
        roots.add(Path.of("/usr/local/lib"));
        roots.add(Path.of("/usr/lib"));
        roots.add(Path.of("/opt/conda/lib"));
        List<Path> sites = new ArrayList<>();
        for (Path root : roots) {
            for (Path python : children(root, "python3*", "")) {
                sites.add(python.resolve("site-packages"));
                sites.add(python.resolve("dist-packages"));
            }
        }
        for (String entry : env.getOrDefault("PYTHONPATH", "").split(":")) {
            if (!entry.isBlank()) {
                sites.add(Path.of(entry));
            }
        }
        return sites;
    }

    /** {@code parent/<glob>/<sub>} for each match, newest-looking name first. */
    private static List<Path> children(Path parent, String glob, String sub) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, glob)) {
            s.forEach(p -> found.add(sub.isEmpty() ? p : p.resolve(sub)));
        } catch (IOException e) {
            return List.of(); // an unreadable folder holds nothing we can load
        }
        found.sort(Comparator.comparing(Path::toString).reversed());
        return found;
    }

    private static Optional<Path> first(List<Path> dirs, String name) {
        return dirs.stream().map(d -> d.resolve(name)).filter(Files::isReadable).findFirst();
    }

    private static String summary(List<Path> dirs) {
        List<String> names = dirs.stream().map(Path::toString).toList();
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }
}
