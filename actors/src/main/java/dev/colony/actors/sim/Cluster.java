package dev.colony.actors.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated nodes: each has cores (processors of a {@link TaskGraph}) and a speed factor that
 * divides run times. Written {@code COUNTxCORES@SPEED}, comma-separated: {@code 2x4@1,1x4@2}
 * is two 4-core nodes of speed 1 and one of speed 2.
 *
 * @param nodes         the nodes, in order
 * @param bytesPerSecond network bandwidth between two nodes (cores of one node share memory)
 */
public record Cluster(List<Node> nodes, double bytesPerSecond) {

    /** 1 GB/s between nodes, about a 10 Gbit/s network. */
    public static final double DEFAULT_BYTES_PER_SECOND = 1e9;

    /**
     * One node.
     *
     * @param cores processors it offers, at least 1
     * @param speed run times are divided by this, greater than 0
     */
    public record Node(String name, int cores, double speed) {
    }

    private static final Pattern PART = Pattern.compile("(\\d+)x(\\d+)@([0-9.]+)");

    /** Copies the list; rejects an empty one. */
    public Cluster {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("cluster bandwidth " + bytesPerSecond + " bytes/s must be > 0");
        }
    }

    /**
     * Parses {@code COUNTxCORES@SPEED[,...]}.
     *
     * @throws IllegalArgumentException naming the part that is wrong and the expected form
     */
    public static Cluster parse(String spec) {
        List<Node> nodes = new ArrayList<>();
        for (String part : spec.split(",")) {
            Matcher m = PART.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("cluster part '" + part.trim() + "' is not COUNTxCORES@SPEED (e.g. 2x4@1.5)");
            }
            int count = Integer.parseInt(m.group(1));
            int cores = Integer.parseInt(m.group(2));
            double speed = Double.parseDouble(m.group(3));
            if (count < 1 || cores < 1 || !(speed > 0)) {
                throw new IllegalArgumentException("cluster part '" + part.trim() + "': count and cores must be >= 1 and "
                        + "speed > 0");
            }
            for (int i = 0; i < count; i++) {
                nodes.add(new Node("n" + (nodes.size() + 1), cores, speed));
            }
        }
        return new Cluster(nodes, DEFAULT_BYTES_PER_SECOND);
    }

    /** This cluster with another bandwidth between nodes. */
    public Cluster withBandwidth(double bytesPerSecond) {
        return new Cluster(nodes, bytesPerSecond);
    }

    /** {@code count} single-core nodes of speed 1: the identical processors of the STG set. */
    public static Cluster identical(int count) {
        return parse(count + "x1@1");
    }

    /** Processor names, {@code node/core}. */
    public List<String> processors() {
        List<String> names = new ArrayList<>();
        for (Node n : nodes) {
            for (int c = 0; c < n.cores(); c++) {
                names.add(n.cores() == 1 ? n.name() : n.name() + "/" + c);
            }
        }
        return names;
    }

    /** Processor index to node index. */
    public int[] nodeOf() {
        int[] of = new int[processors().size()];
        int p = 0;
        for (int i = 0; i < nodes.size(); i++) {
            for (int c = 0; c < nodes.get(i).cores(); c++) {
                of[p++] = i;
            }
        }
        return of;
    }

    /** Speed of each processor. */
    public double[] speeds() {
        double[] s = new double[processors().size()];
        int p = 0;
        for (Node n : nodes) {
            for (int c = 0; c < n.cores(); c++) {
                s[p++] = n.speed();
            }
        }
        return s;
    }
}
