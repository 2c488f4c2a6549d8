package dev.colony.actors.data;

import dev.colony.actors.output.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys to a data plane's outputs: an output's capability is an HMAC-SHA256 of its store key
 * under the serving process's secret (the first 128 bits, hex). The producer puts it in the
 * output's {@code OutputRef}, which only cluster members see; a fetch must carry it, and keys
 * cannot be guessed into capabilities. The secret lives in the data directory (0600), so a
 * restarted process still serves the outputs it stored before. Thread-safe.
 */
public final class Capabilities {

    private static final int SECRET_BYTES = 32;

    private final SecretKeySpec secret;

    private Capabilities(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A fresh random secret, for a process whose outputs do not outlive it. */
    public static Capabilities random() {
        byte[] s = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(s);
        return new Capabilities(s);
    }

    /** The secret in {@code file}, made (owner-only, random) when it does not exist yet. */
    public static Capabilities stored(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] s = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(s);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(s));
                ch.force(true);
            }
            try {
                Files.move(tmp, file); // not REPLACE_EXISTING: a concurrent first start keeps the one that won
            } catch (java.nio.file.FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] s = Files.readAllBytes(file);
        if (s.length != SECRET_BYTES) {
            throw new IOException(file + " holds " + s.length + " bytes, not a " + SECRET_BYTES + "-byte data plane secret");
        }
        return new Capabilities(s);
    }

    /** The capability for output {@code key}. */
    public String of(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] full = mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(full, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code capability} opens {@code key}, compared in constant time. */
    boolean opens(String key, String capability) {
        return capability != null && MessageDigest.isEqual(of(key).getBytes(StandardCharsets.US_ASCII),
                capability.getBytes(StandardCharsets.US_ASCII));
    }
}
