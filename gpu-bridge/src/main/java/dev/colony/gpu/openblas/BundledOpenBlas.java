package dev.colony.gpu.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The OpenBLAS build inside the {@code org.bytedeco:openblas} jar (classifier linux-x86_64),
 * extracted once to {@code java.io.tmpdir/colony-openblas-<jar>} with the libraries it needs
 * beside it (it finds them through its {@code $ORIGIN} run path). Concurrent JVMs extract into
 * temporary files and move them into place, so none ever loads a half-written library.
 */
final class BundledOpenBlas {

    private static final String BASE = "org/bytedeco/openblas/linux-x86_64/";
    private static final String MAIN = "libopenblas.so.0";
    private static final String[] FILES = {MAIN, "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1"};

    private BundledOpenBlas() {
    }

    /**
     * The path of the extracted {@code libopenblas.so.0}.
     *
     * @throws IllegalStateException when this is not linux-x86_64, the jar is not on the class
     *                               path, or extracting fails
     */
    static Path extract() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the bundled build is for linux-x86_64, this is " + os + "-" + arch);
        }
        ClassLoader loader = BundledOpenBlas.class.getClassLoader();
        URL main = loader.getResource(BASE + MAIN);
        if (main == null) {
            throw new IllegalStateException("org.bytedeco:openblas (linux-x86_64) is not on the class path");
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "colony-openblas-" + version(main));
        try {
            Files.createDirectories(dir);
            for (String f : FILES) {
                Path target = dir.resolve(f);
                if (!Files.exists(target)) {
                    copy(loader, BASE + f, target);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot extract OpenBLAS to " + dir + ": " + e.getMessage(), e);
        }
        return dir.resolve(MAIN);
    }

    /** The jar's file name (it carries the version), or the resource's size when not from a jar. */
    private static String version(URL resource) {
        String s = resource.toString();
        int bang = s.indexOf("!/");
        if (s.startsWith("jar:") && bang > 0) {
            String jar = s.substring(0, bang);
            return jar.substring(jar.lastIndexOf('/') + 1).replace(".jar", "");
        }
        try (InputStream in = resource.openStream()) {
            return Long.toString(in.transferTo(java.io.OutputStream.nullOutputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the jar");
            }
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
