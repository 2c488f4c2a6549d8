package dev.colony.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobStatus;
import dev.colony.actors.policy.PolicyGenome;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Playwright
 * ({@code src/test/js/dashboard-test.mjs}) submits a job through the page, sees its progress reach
 * 100 % and takes a screenshot ({@code target/dashboard.png}). Needs node, {@code npm ci} in
 * {@code src/test/js} and {@code /usr/bin/chromium} (or {@code CHROMIUM}); skipped, saying which is
 * missing, where they are not, except under {@code CI=true}, where {@code .ci/run} installs them.
 */
class DashboardBrowserTest {

    private static final Path SCRIPTS = Path.of("src/test/js");

    @Test
    void shouldShowAJobSubmittedThroughThePageReachAHundredPercent() throws Exception {
        needs();
        Path shot = Path.of("target/dashboard.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.node { name = browser-1, cpus = 2, memory = 1GiB }
                colony.http { enabled = on, port = 0 }
                """)))) {
            long canary = colony.tryPolicy(PolicyGenome.EARLIEST_FINISH, "put on trial by the dashboard test")
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + colony.httpAddress().orElseThrow().getPort();
            Process p = new ProcessBuilder("node", "dashboard-test.mjs", base, "through-the-page", shot.toString())
                    .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the browser test did not finish in 120 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("dashboard test: " + out.strip() + "\nscreenshot: " + shot);
            assertEquals(0, p.exitValue(), out);
            List<String> lines = out.strip().lines().toList();
            JsonNode seen = new ObjectMapper().readTree(lines.getLast());
            assertEquals("100 %", seen.path("listProgress").asText(), out);
            assertEquals("100 %", seen.path("jobProgress").asText(), out);
            assertEquals("succeeded", seen.path("phase").asText(), out);
            assertEquals(4, seen.path("timelineBars").asInt(), out);
            assertEquals(4, seen.path("taskRows").asInt(), out);
            assertEquals(1, seen.path("nodes").asInt(), out);
            assertEquals("v0: the built-in least-loaded policy", seen.path("learnerDeployed").asText(), out);
            assertTrue(seen.path("learnerCanary").asText().startsWith("v" + canary + " on 10 % of jobs: "
                    + PolicyGenome.EARLIEST_FINISH.describe()), out);
            assertEquals("v" + canary + " on trial", seen.path("history").path(0).asText(), out);
            assertEquals(0, seen.path("problems").size(), "the page logged errors: " + out);
            assertEquals(JobStatus.Phase.SUCCEEDED, colony.status("through-the-page").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).phase(), "the runtime agrees with the page");
            byte[] png = Files.readAllBytes(shot);
            assertTrue(png.length > 10_000, "screenshot of " + png.length + " bytes");
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        }
    }

    /** Skips, naming what is missing, unless CI=true: there a missing piece is a failure. */
    private static void needs() {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        String missing = !onPath("node") ? "node (Debian package nodejs)"
                : !Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))
                ? "playwright-core (run npm ci in runtime/src/test/js)"
                : !Files.isExecutable(Path.of(chromium)) ? chromium + " (Debian package chromium)" : null;
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI must run the browser test but " + missing + " is missing: .ci/run installs it");
        }
        System.out.println("DashboardBrowserTest skipped: " + missing + " is missing");
        Assumptions.abort("browser test skipped: " + missing + " is missing");
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
