package dev.colony.runtime.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by settings records: secrets kept in files, and whether an address is loopback. */
public final class SettingValues {

    private SettingValues() {
    }

    /**
     * The one line of file {@code path} (a token, a password), named by {@code key} in errors, which
     * never quote the file's content.
     */
    public static String secretIn(String key, String path) {
        try {
            String text = Files.readString(Path.of(path)).strip();
            if (text.isEmpty() || text.lines().count() > 1) {
                throw new IllegalArgumentException(key + " = " + path + " must hold one non-empty line");
            }
            return text;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " = " + path + " cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether {@code host} (setting {@code key}) is a loopback address, which other machines cannot reach. */
    public static boolean loopback(String key, String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + " = " + host + " is not a known address", e);
        }
    }
}
