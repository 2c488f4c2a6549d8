package dev.colony.runtime.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test: a disk that really fills up, or one that is really
 * read-only (root ignores file modes). Needs root and permission to mount (CI runs as root in a
 * container that allows it); elsewhere the test is skipped with the reason printed.
 */
final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code mib} MiB at {@code dir} (created), read-only when {@code readOnly}. */
    static Tmpfs mount(Path dir, int mib, boolean readOnly) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String options = "size=" + mib + "m,mode=0700" + (readOnly ? ",ro" : "");
        String why = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        if (why != null) {
            System.out.println("SKIPPED: cannot mount a tmpfs to fill (" + why + "); this test needs root in a "
                    + "container that may mount");
            Assumptions.abort("cannot mount a tmpfs: " + why);
        }
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String why = run(List.of("umount", "-l", dir.toString()));
        if (why != null) {
            throw new IOException("cannot unmount " + dir + ": " + why);
        }
    }

    /** Runs {@code cmd}; null when it succeeded, else why not. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " did not finish in 30 s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
    }
}
