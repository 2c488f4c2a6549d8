package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS from a PKCS#12 keystore (made here with the JDK's keytool), the token from a file. */
class HttpsTest {

    @Test
    void shouldServeOverTlsWithTheTokenFromAFile(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "colony", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit")).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "t0ken-from-a-file\n");
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = s1, cpus = 1, memory = 1GiB }
                colony.learner.enabled = off
                colony.http { enabled = on, port = 0, token-file = "%s",
                  tls { keystore = "%s", keystore-password = changeit } }
                """.formatted(tokenFile, keystore))))) {
            int port = colony.httpAddress().orElseThrow().getPort();
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trusted.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            try (HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()) {
                var nodes = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/nodes"));
                assertEquals(401, client.send(nodes.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                var ok = client.send(nodes.header("Authorization", "Bearer t0ken-from-a-file").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                assertTrue(ok.body().contains("\"s1\""), ok.body());
            }
            try (HttpClient plain = HttpClient.newHttpClient()) {
                assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/nodes")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertTrue(!HttpSettings.of(colony.settings().config().getConfig("colony")).toString().contains("t0ken"),
                    "the token never shows in the settings' text");
        }
    }
}
