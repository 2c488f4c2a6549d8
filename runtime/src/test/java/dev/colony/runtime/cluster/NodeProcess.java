package dev.colony.runtime.cluster;

import dev.colony.runtime.recovery.ChildJvm;
import dev.colony.runtime.recovery.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code colony node} in a JVM of its own, on the test PostgreSQL journal, its output in a file. */
final class NodeProcess {

    private final Process process;
    private final Path out;

    private NodeProcess(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Starts {@code colony node ARGS}, writing its output to {@code out}. */
    static NodeProcess start(Path out, String... args) throws IOException {
        List<String> rest = new ArrayList<>(List.of("dev.colony.runtime.cli.ColonyCli", "node", "--journal", "postgres"));
        rest.addAll(List.of(args));
        List<String> cmd = ChildJvm.command("384m", rest);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("COLONY_POSTGRES_URL", PostgresServer.url());
        pb.environment().put("COLONY_POSTGRES_USER", PostgresServer.user());
        pb.environment().put("COLONY_POSTGRES_PASSWORD", PostgresServer.password());
        return new NodeProcess(pb.start(), out);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process process() {
        return process;
    }

    String output() {
        try {
            return Files.readString(out);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
