package dev.colony.runtime.internal;

import dev.colony.actors.output.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Makes a cluster's certificates for {@code colony.tls} with the JDK's {@code keytool} (every JDK
 * has it; no library needed): a CA ({@code ca.p12}, EC P-256, the only thing that can add members:
 * keep it off the nodes), its certificate ({@code ca.pem}, and {@code trust.p12} for the
 * truststore), and per member {@code NAME.p12} holding the member's key and its certificate chain,
 * all under one random password in {@code password}. The directory is owner-only and every file in
 * it {@code 0600}.
 */
public final class ClusterCertificates {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path dir;
    private final Path keytool;
    private final int days;

    private ClusterCertificates(Path dir, int days) {
        this.dir = dir;
        this.keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        this.days = days;
    }

    /**
     * Makes a CA in the new or empty directory {@code dir} and a keystore for each of {@code members},
     * valid for {@code days} days.
     *
     * @throws IllegalArgumentException when {@code dir} already holds a CA, a name is not a plain name,
     *                                  or {@code days} is not positive
     * @throws IOException              when keytool fails (its output is in the message)
     */
    public static void init(Path dir, List<String> members, int days) throws IOException, InterruptedException {
        if (days < 1) {
            throw new IllegalArgumentException("--days " + days + " must be positive");
        }
        if (Files.exists(dir.resolve("ca.p12"))) {
            throw new IllegalArgumentException(dir + " already holds a CA (ca.p12); add members with `colony certs add`");
        }
        PrivateFiles.secureDirectory(dir);
        ClusterCertificates c = new ClusterCertificates(dir, days);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try (FileChannel ch = PrivateFiles.open(dir.resolve("password"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        c.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Colony cluster CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                "-validity", Integer.toString(days), "-storetype", "PKCS12", "-keystore", "ca.p12");
        c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-storetype", "PKCS12",
                "-keystore", "trust.p12");
        add(dir, members, days);
    }

    /** Adds a keystore for each of {@code members}, signed by the CA in {@code dir}. */
    public static void add(Path dir, List<String> members, int days) throws IOException, InterruptedException {
        for (String name : members) { // every name is checked before any keystore is made
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("member name '" + dev.colony.actors.kernel.Brief.text(name)
                        + "' may hold only letters, digits, '.', '_' and '-' (at most 64)");
            }
            if (Files.exists(dir.resolve(name + ".p12"))) {
                throw new IllegalArgumentException(dir.resolve(name + ".p12") + " exists already");
            }
        }
        ClusterCertificates c = new ClusterCertificates(dir, days);
        for (String name : members) {
            c.member(name);
        }
        c.privatize();
    }

    private void member(String name) throws IOException, InterruptedException {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", Integer.toString(days), "-storetype", "PKCS12", "-keystore", store);
        keytool("-certreq", "-alias", "member", "-keystore", store, "-file", name + ".csr");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-validity", Integer.toString(days),
                "-ext", "eku=serverAuth,clientAuth", "-ext", "ku:c=digitalSignature");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool("-importcert", "-alias", "member", "-file", name + ".pem", "-keystore", store);
        Files.delete(dir.resolve(name + ".csr"));
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass:file", "password")); // never on the command line, which `ps` shows
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " failed: " + output.strip());
        }
    }

    /** keytool writes with the umask: every file of the (owner-only) directory becomes 0600. */
    private void privatize() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
