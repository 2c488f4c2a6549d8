package dev.colony.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the HTTPS server's TLS context from a PKCS#12 keystore ({@code colony.http.tls.*}). */
final class Keystores {

    private Keystores() {
    }

    /**
     * A TLS context that presents the key and certificate chain in {@code keystore}.
     *
     * @throws IllegalArgumentException naming the setting when the file cannot be read or opened
     */
    static SSLContext serverContext(Path keystore, String password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("colony.http.tls.keystore = " + keystore + " cannot be used: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }
}
