package dev.colony.runtime.recovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that starts a class of the test classpath in a JVM of its own, with Colony's JVM flags. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * {@code java -cp <test classpath> -Xmx<heap> <Colony's flags> rest...}, where {@code rest} is
     * any further JVM options, then the main class and its arguments.
     */
    public static List<String> command(String heap, List<String> rest) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx" + heap,
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        cmd.addAll(rest);
        return cmd;
    }
}
