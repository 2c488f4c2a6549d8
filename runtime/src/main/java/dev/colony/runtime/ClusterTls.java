package dev.colony.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.colony.runtime.internal.SettingValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mutual TLS for the cluster transport, {@code colony.tls.*}: with a keystore (this member's key and
 * a certificate signed by the cluster's CA) and a truststore (the CA's certificate), Artery runs
 * over {@code tls-tcp} and accepts a connection only from a peer that presents a certificate the CA
 * signed, so a process without one can neither join nor send to a member. {@code colony certs init}
 * makes a CA and members' keystores. Without TLS, a cluster address other machines can reach is
 * refused at start. {@link #toString()} never shows the password.
 *
 * @param keystore   PKCS#12 keystore of this member; null: no TLS
 * @param truststore PKCS#12 store with the CA certificate
 * @param password   the stores' password
 */
public record ClusterTls(Path keystore, Path truststore, String password) {

    /** TLS 1.3 suites only: every member runs a JDK 25. */
    static final List<String> SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** No TLS. */
    public static final ClusterTls OFF = new ClusterTls(null, null, "");

    /** Whether the cluster transport runs over mutual TLS. */
    public boolean enabled() {
        return keystore != null;
    }

    /**
     * Reads {@code colony.tls} of {@code colony} and checks it against {@code colony.hostname} and the
     * Artery transport in {@code full}.
     *
     * @throws IllegalArgumentException naming the setting: a store is missing or unreadable, TLS is
     *                                  asked of the aeron-udp transport, or the cluster address is
     *                                  reachable from other machines without TLS
     */
    static ClusterTls of(Config colony, Config full) {
        Config t = colony.getConfig("tls");
        String keystore = t.getString("keystore");
        String hostname = colony.getString("hostname");
        if (keystore.isEmpty()) {
            if (!SettingValues.loopback("colony.hostname", hostname)) {
                throw new IllegalArgumentException("colony.hostname = " + hostname + " is reachable from other "
                        + "machines: set colony.tls.keystore, .truststore and .password-file (`colony certs init DIR` "
                        + "makes them; `colony node --tls DIR`) so that only members holding the cluster's "
                        + "certificate can join");
            }
            return OFF;
        }
        if (!full.getString("akka.remote.artery.transport").equals("tcp")) {
            throw new IllegalArgumentException("colony.tls needs akka.remote.artery.transport = tcp (it becomes tls-tcp), "
                    + "not " + full.getString("akka.remote.artery.transport"));
        }
        String truststore = t.getString("truststore");
        if (truststore.isEmpty()) {
            throw new IllegalArgumentException("colony.tls.keystore is set but colony.tls.truststore is not: name the "
                    + "store with the cluster's CA certificate (trust.p12 of `colony certs init`)");
        }
        String passwordFile = t.getString("password-file");
        String password = passwordFile.isEmpty() ? t.getString("password") : SettingValues.secretIn("colony.tls.password-file", passwordFile);
        ClusterTls tls = new ClusterTls(readable("colony.tls.keystore", keystore),
                readable("colony.tls.truststore", truststore), password);
        return tls;
    }

    /**
     * The stores {@code colony certs init DIR} made for {@code member}: {@code DIR/member.p12},
     * {@code DIR/trust.p12} and the password in {@code DIR/password}.
     *
     * @throws IllegalArgumentException naming the file that cannot be read
     */
    public static ClusterTls inDirectory(Path dir, String member) {
        return new ClusterTls(readable("--tls", dir.resolve(member + ".p12").toString()),
                readable("--tls", dir.resolve("trust.p12").toString()), SettingValues.secretIn("--tls", dir.resolve("password").toString()));
    }

    /** The Artery settings that make the transport mutual TLS. */
    public Config artery() {
        String p = "akka.remote.artery.";
        String e = p + "ssl.config-ssl-engine.";
        return ConfigFactory.empty()
                .withValue(p + "transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue(p + "ssl.ssl-engine-provider",
                        ConfigValueFactory.fromAnyRef("akka.remote.artery.tcp.ConfigSSLEngineProvider"))
                .withValue(e + "key-store", ConfigValueFactory.fromAnyRef(keystore.toString()))
                .withValue(e + "trust-store", ConfigValueFactory.fromAnyRef(truststore.toString()))
                .withValue(e + "key-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(e + "key-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(e + "trust-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(e + "protocol", ConfigValueFactory.fromAnyRef("TLSv1.3"))
                .withValue(e + "enabled-algorithms", ConfigValueFactory.fromIterable(SUITES))
                .withValue(e + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
                .withValue(e + "hostname-verification", ConfigValueFactory.fromAnyRef(false));
    }

    private static Path readable(String key, String path) {
        Path p = Path.of(path);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(key + " = " + path + " cannot be read");
        }
        return p.toAbsolutePath();
    }

    @Override
    public String toString() {
        return enabled() ? "ClusterTls[keystore=" + keystore + ", truststore=" + truststore + ", password=(set)]"
                : "ClusterTls[off]";
    }
}
