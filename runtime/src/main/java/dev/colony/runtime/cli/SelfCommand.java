package dev.colony.runtime.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** This program again in a JVM of its own, with this JVM's flags and classpath: the benchmarks' peers. */
final class SelfCommand {

    private SelfCommand() {
    }

    /** {@code java <this JVM's flags> -cp <classpath> ColonyCli ARGS}. */
    static List<String> of(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ColonyCli.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The median of {@code values}. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
