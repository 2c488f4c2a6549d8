package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a node running a DAG job, then a restart on the same data directory: the job
 * resumes and finishes once, tasks whose success was journalled never run again, and the result
 * equals that of an uninterrupted run. On the H2 journal here; {@link PostgresCrashRecoveryTest}
 * runs the same against PostgreSQL.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeAfterKillMinus9OnH2() throws Exception {
        new Scenario(dir, "h2").run();
    }

    /** One crash-and-recover run against one journal. */
    record Scenario(Path dir, String journal) {

        private static final java.util.Map<Long, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

        void run() throws Exception {
            String jobId = "crash-" + System.nanoTime();
            // The reference: the same job, uninterrupted, in a data directory of its own.
            Path cleanLog = dir.resolve("clean.log");
            // (another job id: a PostgreSQL journal is shared by both runs)
            Process clean = node(dir.resolve("clean"), jobId + "-clean", cleanLog, dir.resolve("clean.result"));
            assertEquals(0, waitFor(clean, 120), output(clean));
            String expected = Files.readString(dir.resolve("clean.result"));
            assertTrue(expected.startsWith("SUCCEEDED"), expected);

            Path log = dir.resolve("kernel.log");
            Path data = dir.resolve("data");
            Path result = dir.resolve("result");
            Process first = node(data, jobId, log, result);
            long firstPid = first.pid();
            // Kill it while tasks run: some done, at least one started and not ended.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                List<String> lines = lines(log);
                long ends = lines.stream().filter(l -> l.endsWith(" end")).count();
                long starts = lines.stream().filter(l -> l.endsWith(" start")).count();
                if (ends >= 4 && starts > ends) {
                    break;
                }
                assertTrue(first.isAlive(), "the node ended before it could be killed: " + output(first));
                assertTrue(System.nanoTime() < deadline, "no task ran within 60 s: " + output(first));
                Thread.sleep(20); // polling another process's file: there is no actor to probe
            }
            first.destroyForcibly(); // SIGKILL
            first.waitFor(30, TimeUnit.SECONDS);
            assertTrue(!Files.exists(result), "the killed node must not have finished the job");

            // What the journal says had succeeded when the node died, read with the operator's tool.
            Process inspect = cli("journal", "inspect", "--job", jobId, "--journal", journal, "--data-dir",
                    data.toString());
            assertEquals(0, waitFor(inspect, 60), output(inspect));
            Set<String> journalledDone = new HashSet<>();
            var taskId = java.util.regex.Pattern.compile("\"taskId\":\"([^\"]+)\"");
            for (String line : output(inspect).split("\n")) {
                if (line.contains("ColonyJob|" + jobId + " ") && line.contains(" TaskSucceeded ")) {
                    var m = taskId.matcher(line);
                    assertTrue(m.find(), line);
                    journalledDone.add(m.group(1));
                }
            }
            assertTrue(!journalledDone.isEmpty(), "nothing was journalled as succeeded:\n" + output(inspect));

            Process second = node(data, jobId, log, result);
            assertEquals(0, waitFor(second, 120), output(second));
            assertTrue(output(second).contains("is RUNNING"), "the restarted node must find the job running: "
                    + output(second));
            assertEquals(expected, Files.readString(result), "the result must equal an uninterrupted run's");

            List<String> afterRestart = lines(log).stream().filter(l -> l.startsWith(second.pid() + " ")).toList();
            for (String task : journalledDone) {
                assertTrue(afterRestart.stream().noneMatch(l -> l.split(" ")[2].equals(task)),
                        "task " + task + " had succeeded before the crash but ran again: " + afterRestart);
            }
            // Every task ended exactly once in one of the two processes, counting only runs that ended.
            Set<String> ended = new HashSet<>();
            for (String l : lines(log)) {
                String[] f = l.split(" ");
                if (f[4].equals("end") && (Long.parseLong(f[0]) == second.pid() || journalledDone.contains(f[2]))) {
                    assertTrue(ended.add(f[2]), "task " + f[2] + " counted twice: " + lines(log));
                }
            }
            assertEquals(CrashNode.LAYERS * CrashNode.WIDTH + 1, ended.size(), lines(log).toString());
            assertTrue(firstPid != second.pid());

            // The job ended exactly once in the journal.
            Process after = cli("journal", "inspect", "--job", jobId, "--journal", journal, "--data-dir", data.toString());
            assertEquals(0, waitFor(after, 60), output(after));
            long succeededEvents = output(after).lines().filter(l -> l.contains("ColonyJob|" + jobId)
                    && l.contains(" Succeeded ")).count();
            assertEquals(1, succeededEvents, output(after));
            System.out.println(output(after)); // the operator's view, kept in the test report
        }

        private Process node(Path data, String jobId, Path kernelLog, Path resultFile) throws IOException {
            return java(List.of("-Dcolony.test.kernel-log=" + kernelLog, CrashNode.class.getName(), data.toString(),
                    journal, jobId, resultFile.toString()), data.getFileName() + "-" + System.nanoTime());
        }

        private Process cli(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("dev.colony.runtime.cli.ColonyCli"));
            cmd.addAll(List.of(args));
            return java(cmd, "cli-" + System.nanoTime());
        }

        private Process java(List<String> args, String name) throws IOException {
            List<String> cmd = ChildJvm.command("512m", args);
            Path out = dir.resolve(name + ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            if (journal.equals("postgres")) {
                pb.environment().put("COLONY_POSTGRES_URL", PostgresServer.url());
                pb.environment().put("COLONY_POSTGRES_USER", PostgresServer.user());
                pb.environment().put("COLONY_POSTGRES_PASSWORD", PostgresServer.password());
            }
            Process p = pb.start();
            OUTPUTS.put(p.pid(), out);
            return p;
        }

        private static String output(Process p) {
            try {
                return Files.readString(OUTPUTS.get(p.pid()));
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        private static int waitFor(Process p, int seconds) throws InterruptedException {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        }

        private static List<String> lines(Path log) throws IOException {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        }
    }
}
