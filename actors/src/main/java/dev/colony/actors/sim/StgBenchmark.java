package dev.colony.actors.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schedulers against the Standard Task Graph Set's published optima: for P identical
 * processors, every graph listed in {@code optimal/Case50_P_OPT.csv} under the STG root is
 * scheduled and its makespan divided by the proven optimum (or, for the rows still open, by the
 * best known schedule length).
 */
public final class StgBenchmark {

    /**
     * One row of an optima file.
     *
     * @param graph  path relative to the STG root, e.g. {@code 50/rand0000.stg}
     * @param target the proven optimum, or the best known length when {@code proven} is false
     */
    public record Optimum(String graph, int procs, double target, boolean proven) {
    }

    /**
     * One scheduler's score on one processor count.
     *
     * @param exact graphs scheduled in exactly the target length (or better)
     */
    public record Score(String scheduler, int procs, int graphs, double mean, double worst, int exact) {
    }

    private StgBenchmark() {
    }

    /** Reads {@code optimal/Case50_<procs>_OPT.csv} under {@code root}; the error names file and line. */
    public static List<Optimum> optima(Path root, int procs) throws IOException {
        Path file = root.resolve("optimal").resolve("Case50_" + procs + "_OPT.csv");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no optima file for " + procs + " processors");
        }
        List<Optimum> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            try {
                if (f.length == 3) {
                    rows.add(new Optimum(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), true));
                } else if (f.length == 4) {
                    rows.add(new Optimum(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[3]), false));
                } else {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 3 or 4 fields, got " + f.length);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a number: " + e.getMessage());
            }
        }
        return rows;
    }

    /** Scores every scheduler on every graph of {@code optima}. */
    public static List<Score> run(Path root, int procs, List<Scheduler> schedulers) throws IOException {
        List<Optimum> rows = optima(root, procs);
        Map<String, double[]> ratios = new LinkedHashMap<>();
        schedulers.forEach(s -> ratios.put(s.name(), new double[rows.size()]));
        for (int i = 0; i < rows.size(); i++) {
            Optimum o = rows.get(i);
            TaskGraph g = Workloads.read(root.resolve(o.graph()), procs);
            for (Scheduler s : schedulers) {
                ratios.get(s.name())[i] = s.schedule(g).check().makespan() / o.target();
            }
        }
        List<Score> scores = new ArrayList<>();
        ratios.forEach((name, r) -> {
            double sum = 0;
            double worst = 0;
            int exact = 0;
            for (double x : r) {
                sum += x;
                worst = Math.max(worst, x);
                exact += x <= 1 + 1e-9 ? 1 : 0;
            }
            scores.add(new Score(name, procs, r.length, sum / r.length, worst, exact));
        });
        return scores;
    }
}
