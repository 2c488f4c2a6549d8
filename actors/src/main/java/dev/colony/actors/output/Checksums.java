package dev.colony.actors.output;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** Checksums of stored outputs, computed over off-heap memory without copying it to the heap. */
public final class Checksums {

    private static final long SLICE = 1L << 30;

    private Checksums() {
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return sha256(MemorySegment.ofArray(bytes));
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(MemorySegment bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (long at = 0; at < bytes.byteSize(); at += SLICE) {
                digest.update(bytes.asSlice(at, Math.min(SLICE, bytes.byteSize() - at)).asByteBuffer());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Hex CRC-32C of {@code bytes} (hardware-assisted: tensors are checked at memory speed). */
    public static String crc32c(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < bytes.byteSize(); at += SLICE) {
            crc.update(bytes.asSlice(at, Math.min(SLICE, bytes.byteSize() - at)).asByteBuffer());
        }
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
