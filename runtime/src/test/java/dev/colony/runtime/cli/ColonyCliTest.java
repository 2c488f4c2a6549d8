package dev.colony.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's exit codes and output, run in-process. */
public class ColonyCliTest {

    @TempDir
    Path dir;

    public record Run(int code, String out, String err) {
    }

    public static synchronized Run cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = ColonyCli.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    Path file(String json) throws IOException {
        Path f = dir.resolve("job.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void shouldRunDemoAndExitZero() {
        Run r = cli("demo", "--set", "colony.node.cpus=2");
        assertEquals(ColonyCli.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("SUCCEEDED"), r.out());
        assertTrue(r.out().contains("product") && r.out().contains("node-1"), r.out());
    }

    @Test
    void shouldRunTheDemoTwiceOnTheDefaultJournalWithARelativeDataDirAndInspectIt() {
        // As the README's first command does: H2 in "./colony-data" (here a fresh relative directory).
        String data = "./target/cli-data-" + System.nanoTime();
        Run first = cli("demo", "--journal", "h2", "--data-dir", data);
        assertEquals(ColonyCli.OK, first.code(), first.out() + first.err());
        Run second = cli("demo", "--journal", "h2", "--data-dir", data);
        assertEquals(ColonyCli.OK, second.code(), second.out() + second.err());
        Run list = cli("journal", "inspect", "--data-dir", data, "--journal", "h2");
        assertEquals(ColonyCli.OK, list.code(), list.out() + list.err());
        assertTrue(list.out().contains("2 job(s)") && list.out().contains("last: Succeeded"), list.out());
        String jobId = list.out().lines().filter(l -> l.startsWith("demo-")).findFirst().orElseThrow().split("\\s+")[0];
        Run events = cli("journal", "inspect", "--data-dir", data, "--journal", "h2", "--job", jobId);
        assertEquals(ColonyCli.OK, events.code(), events.out() + events.err());
        assertTrue(events.out().contains("ColonyJob|" + jobId) && events.out().contains(" Accepted ")
                && events.out().contains(" AttemptStarted ") && events.out().contains(" Succeeded "), events.out());
        Run unknown = cli("journal", "inspect", "--data-dir", data, "--journal", "h2", "--job", "nope");
        assertEquals(ColonyCli.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("the journal has no events of job 'nope'"), unknown.err());
    }

    @Test
    void shouldSubmitJsonJobAndPrintItsResult() throws IOException {
        Run r = cli("submit", file("""
                {"id": "cli", "tasks": [{"id": "a", "kernel": "sum", "params": {"values": [40, 2]}}]}
                """).toString());
        assertEquals(ColonyCli.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("42.0"), r.out());
    }

    @Test
    void shouldExitTwoOnMalformedOrRejectedJob() throws IOException {
        Run malformed = cli("submit", file("{\"id\": \"x\", \"tasks\": [ }").toString());
        assertEquals(ColonyCli.BAD_INPUT, malformed.code());
        assertTrue(malformed.err().contains("job.json:1:"), malformed.err());
        Run rejected = cli("submit", file("{\"id\": \"x\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"nope\"}]}").toString());
        assertEquals(ColonyCli.BAD_INPUT, rejected.code());
        assertTrue(rejected.out().contains("REJECTED") && rejected.out().contains("unknown kernel 'nope'"), rejected.out());
        // Hostile files: nested 100,000 deep, a 900 KB number; a setting tightens the limit.
        String deep = "{\"id\": \"d\", \"tasks\": [{\"id\": \"t\", \"kernel\": \"sum\", \"params\": {\"values\": "
                + "[".repeat(100_000) + "]".repeat(100_000) + "}}]}";
        Run nested = cli("submit", file(deep).toString());
        assertEquals(ColonyCli.BAD_INPUT, nested.code());
        assertTrue(nested.err().contains("colony.jobs.json.max-depth") && nested.err().length() < 500, nested.err());
        Run number = cli("submit", file("{\"id\": \"n\", \"priority\": " + "9".repeat(900_000) + ", \"tasks\": []}")
                .toString());
        assertEquals(ColonyCli.BAD_INPUT, number.code());
        assertTrue(number.err().contains("colony.jobs.json.max-number-length") && number.err().length() < 500, number.err());
        Run tight = cli("submit", file("{\"id\": \"s\", \"tasks\": [{\"id\": \"t\", \"kernel\": \"sum\", "
                + "\"params\": {\"values\": [[[1]]]}}]}").toString(), "--set", "colony.jobs.json.max-depth=4");
        assertEquals(ColonyCli.BAD_INPUT, tight.code());
        assertTrue(tight.err().contains("colony.jobs.json.max-depth"), tight.err());
    }

    @Test
    void shouldMakeClusterCertificatesAndRefuseAnOpenClusterAddressWithoutThem() {
        Path certs = dir.resolve("certs");
        Run init = cli("certs", "init", certs.toString(), "--nodes", "n1,n2", "--days", "2");
        assertEquals(ColonyCli.OK, init.code(), init.err());
        for (String f : List.of("ca.p12", "trust.p12", "n1.p12", "n2.p12", "password")) {
            assertTrue(Files.isRegularFile(certs.resolve(f)), f);
        }
        Run again = cli("certs", "init", certs.toString(), "--nodes", "n3");
        assertEquals(ColonyCli.BAD_INPUT, again.code());
        assertTrue(again.err().contains("already holds a CA"), again.err());
        Run open = cli("node", "--host", "0.0.0.0", "--journal", "memory");
        assertEquals(ColonyCli.BAD_INPUT, open.code());
        assertTrue(open.err().contains("colony.hostname = 0.0.0.0 is reachable from other machines"), open.err());
    }

    @Test
    void shouldExitOneWhenTheJobFails() throws IOException {
        Run r = cli("submit", file("""
                {"id": "f", "tasks": [{"id": "a", "kernel": "sum", "params": {"values": [1]}},
                  {"id": "b", "kernel": "sum", "inputs": {"m": "c"}},
                  {"id": "c", "kernel": "gemm", "params": {"n": 4}}]}
                """).toString());
        assertEquals(ColonyCli.JOB_FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("input 'm' is not a number"), r.out());
    }

    @Test
    void shouldPrintInfoAndUsage() {
        Run info = cli("info");
        assertEquals(ColonyCli.OK, info.code());
        assertTrue(info.out().contains("spin - burns"), info.out());
        assertTrue(info.out().contains("openblas: usable") && info.out().contains("java: usable")
                && (info.out().contains("cublas: usable") || info.out().contains("cuBLAS: libcublas.so.13/.12")
                        || info.out().contains("cuBLAS: no CUDA device")), info.out());
        assertEquals(ColonyCli.BAD_INPUT, cli("frobnicate").code());
        assertEquals(ColonyCli.BAD_INPUT, cli("demo", "--policy", "best").code());
        Run status = cli("status", "--seed", "nope");
        assertEquals(ColonyCli.BAD_INPUT, status.code());
        assertTrue(status.err().contains("--seed 'nope' must be HOST:PORT"), status.err());
        Run learner = cli("demo", "--set", "colony.learner.population=1");
        assertEquals(ColonyCli.BAD_INPUT, learner.code());
        assertTrue(learner.err().contains("colony.learner.population = 1 must be at least 2"), learner.err());
    }

    @Test
    void shouldCompareTheSimulatorWithLiveRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // a fork of two tasks joined by a third, in STG form (with the entry and exit dummies)
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("fork.stg"), """
                3
                0 0 0
                1 4 1 0
                2 4 1 0
                3 2 2 1 2
                4 0 1 3
                """);
        Run r = cli("bench", "schedule", "--live", "--nodes", "1x1@1,1x1@2", "--unit-ms", "5", "--runs", "1",
                "--population", "4", "--generations", "2", f.toString());
        assertEquals(ColonyCli.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("evolved / best fixed online policy") && r.out().contains("evolved / heft"),
                r.out());
        for (String policy : java.util.List.of("least-loaded", "round-robin", "evolved online policy")) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(policy) && l.contains("model error")), r.out());
        }
        assertTrue(r.out().contains("mean absolute model error"), r.out());
    }

    @Test
    void shouldCompareSchedulersOnAWorkloadFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("two.json"), """
                {"processors": ["A", "B"], "bandwidth": null,
                 "tasks": [{"id": "a", "cost": [2, 4]}, {"id": "b", "cost": [3, 3]}, {"id": "c", "cost": [1, 1]}],
                 "edges": [{"src": "a", "dst": "c", "data": 1}, {"src": "b", "dst": "c", "data": 1}]}
                """);
        Run r = cli("bench", "schedule", f.toString());
        assertEquals(ColonyCli.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("critical path 4.00") && r.out().contains("heft"), r.out());
        assertTrue(r.out().contains("round-robin/fifo"), r.out());
        Run bad = cli("bench", "schedule", "--ordering", "lifo", f.toString());
        assertEquals(ColonyCli.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--ordering 'lifo' is not known"), bad.err());
    }
}
