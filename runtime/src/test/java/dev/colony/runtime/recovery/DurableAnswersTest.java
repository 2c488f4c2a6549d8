package dev.colony.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobStatus;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code Colony} (and so the HTTP API's 202 and SUCCEEDED) reports is already durable on
 * the default H2 journal: a node killed with {@code kill -9} within milliseconds of an answer
 * still has that job, accepted or succeeded, after a restart on its data directory.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DurableAnswersTest {

    private static final int ANSWERS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldKeepAcceptedJobsThroughAKillRightAfterTheAnswer() throws Exception {
        List<String> ids = killAfterAnswers("accept", "ACCEPTED ");
        assertPhases(ids, null);
    }

    @Test
    void shouldKeepSucceededJobsThroughAKillRightAfterTheAnswer() throws Exception {
        List<String> ids = killAfterAnswers("succeed", "SUCCEEDED ");
        assertPhases(ids, JobStatus.Phase.SUCCEEDED);
    }

    /** Runs an {@link AnswerNode}, kills it the moment its {@value #ANSWERS}th answer is read, and returns the ids answered. */
    private List<String> killAfterAnswers(String mode, String answer) throws Exception {
        List<String> cmd = ChildJvm.command("384m", List.of(AnswerNode.class.getName(), dir.resolve("data").toString(),
                mode, mode + "-"));
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> ids = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; ids.size() < ANSWERS && (line = out.readLine()) != null; ) {
                if (line.startsWith(answer)) {
                    ids.add(line.split(" ")[1]);
                    if (ids.size() == ANSWERS) {
                        node.destroyForcibly(); // SIGKILL, within a millisecond or so of the answer
                    }
                } else if (log.length() < 20_000) {
                    log.append(line).append('\n');
                }
            }
        } finally {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(ANSWERS, ids.size(), "the node gave fewer answers than expected:\n" + log);
        return ids;
    }

    /** After a restart, every id is known, and in {@code phase} when that is not null. */
    private void assertPhases(List<String> ids, JobStatus.Phase phase) throws Exception {
        var settings = ColonySettings.fromConfig(ConfigFactory.parseString("""
                colony.persistence { journal = h2, data-dir = "%s" }
                colony.node { cpus = 2, memory = 2GiB }
                """.formatted(dir.resolve("data").toString().replace('\\', '/'))));
        try (Colony colony = Colony.start(settings)) {
            for (String id : ids) {
                JobStatus s = colony.status(id).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertTrue(s.phase() != JobStatus.Phase.UNKNOWN, "job " + id + " was answered, then lost");
                if (phase != null) {
                    assertEquals(phase, s.phase(), id);
                }
            }
        }
    }
}
