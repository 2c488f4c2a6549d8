package dev.colony.gpu.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OpenBLAS build inside the {@code org.bytedeco:openblas} jar (classifier linux-x86_64),
 * extracted with the libraries it needs beside it (it finds them through its {@code $ORIGIN} run
 * path). Each process extracts into a fresh directory of its own under {@code java.io.tmpdir}
 * (random name, owner-only {@code 0700}, files read-only, deleted at exit) and checks every file
 * against the SHA-256 of the jar's copy just before loading: a library another local user planted
 * in a predictable place, or changed after extraction, is never loaded.
 */
final class BundledOpenBlas {

    private static final String BASE = "org/bytedeco/openblas/linux-x86_64/";
    private static final String MAIN = "libopenblas.so.0";
    private static final String[] FILES = {MAIN, "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1"};
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r-x------");

    /** An extraction: its directory and the SHA-256 (hex) of each file as the jar holds it. */
    record Extracted(Path dir, Map<String, String> sha256) {

        /**
         * The path of {@code libopenblas.so.0}, after checking that the directory is still owner-only
         * and every file still has the jar's hash.
         *
         * @throws IllegalStateException naming the file that differs
         */
        Path checked() {
            try {
                if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
                    throw new IllegalStateException(dir + " is no longer owner-only; refusing to load OpenBLAS from it");
                }
                for (var f : sha256.entrySet()) {
                    String actual;
                    try (InputStream in = Files.newInputStream(dir.resolve(f.getKey()))) {
                        actual = hashOf(in);
                    }
                    if (!actual.equals(f.getValue())) {
                        throw new IllegalStateException(dir.resolve(f.getKey()) + " differs from the jar's copy "
                                + "(SHA-256 " + actual + ", expected " + f.getValue() + "); refusing to load it");
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot check the extracted OpenBLAS in " + dir + ": " + e.getMessage(), e);
            }
            return dir.resolve(MAIN);
        }
    }

    private BundledOpenBlas() {
    }

    /**
     * Extracts the libraries into a fresh directory under {@code java.io.tmpdir} and returns the
     * checked path of {@code libopenblas.so.0}.
     *
     * @throws IllegalStateException when this is not linux-x86_64, the jar is not on the class
     *                               path, extracting fails or a file does not match the jar
     */
    static Path extract() {
        Extracted e = extractInto(Path.of(System.getProperty("java.io.tmpdir")));
        deleteAtExit(e.dir());
        return e.checked();
    }

    /** Extracts the libraries into a new owner-only directory under {@code parent}, hashing each. */
    static Extracted extractInto(Path parent) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the bundled build is for linux-x86_64, this is " + os + "-" + arch);
        }
        ClassLoader loader = BundledOpenBlas.class.getClassLoader();
        if (loader.getResource(BASE + MAIN) == null) {
            throw new IllegalStateException("org.bytedeco:openblas (linux-x86_64) is not on the class path");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(parent, "colony-openblas-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Map<String, String> hashes = new LinkedHashMap<>();
            for (String f : FILES) {
                hashes.put(f, copy(loader, BASE + f, dir.resolve(f)));
            }
            return new Extracted(dir, Map.copyOf(hashes));
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot extract OpenBLAS to " + (dir == null ? parent : dir) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Copies {@code resource} to {@code target} (new, read-only), returning the SHA-256 of what was read. */
    private static String copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream raw = loader.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IOException(resource + " is missing from the jar");
            }
            DigestInputStream in = new DigestInputStream(raw, sha256());
            try (OutputStream out = Files.newOutputStream(Files.createFile(target))) {
                in.transferTo(out);
            }
            Files.setPosixFilePermissions(target, READ_ONLY);
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    private static String hashOf(InputStream in) throws IOException {
        DigestInputStream d = new DigestInputStream(in, sha256());
        d.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(d.getMessageDigest().digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The loaded library stays mapped; its files go when the JVM exits (the directory last). */
    private static void deleteAtExit(Path dir) {
        dir.toFile().deleteOnExit();
        for (String f : FILES) {
            dir.resolve(f).toFile().deleteOnExit();
        }
    }
}
