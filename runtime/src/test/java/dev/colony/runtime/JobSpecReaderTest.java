package dev.colony.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.job.JobSpec;
import dev.colony.actors.job.ResourceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecReaderTest {

    private static String error(String json) {
        return assertThrows(JobSpecReader.FormatException.class, () -> JobSpecReader.parse(json, "job.json")).getMessage();
    }

    @Test
    void shouldReadFullSpec() {
        JobSpec spec = JobSpecReader.parse("""
                {"id": "j1", "priority": 3, "labels": {"team": "ml"},
                 "tasks": [
                   {"id": "a", "kernel": "spin", "params": {"work": 10},
                    "resources": {"cpus": 0.5, "memoryBytes": 1048576, "gpus": 0, "gpuMemoryBytes": 0}},
                   {"id": "b", "kernel": "sum", "inputs": {"x": "a"}, "dependsOn": [], "maxAttempts": 2, "timeoutMs": 500}
                 ]}""", "job.json");
        assertEquals("j1", spec.id());
        assertEquals(3, spec.priority());
        assertEquals(Map.of("team", "ml"), spec.labels());
        assertEquals(new ResourceRequest(0.5, 1 << 20, 0, 0), spec.tasks().get(0).resources());
        assertEquals(10, spec.tasks().get(0).params().get("work").asInt());
        assertEquals(Map.of("x", "a"), spec.tasks().get(1).inputs());
        assertEquals(2, spec.tasks().get(1).maxAttempts());
        assertEquals(500L, spec.tasks().get(1).timeoutMs());
        assertEquals(spec, JobSpecReader.parse(JobSpecReader.write(spec), "round trip"));
    }

    @Test
    void shouldNameLineColumnForMalformedJson() {
        String msg = error("{\n  \"id\": \"j\",\n  \"tasks\": [ {\"id\": \"a\" \"kernel\": \"noop\"} ]\n}");
        assertTrue(msg.startsWith("job.json:3:"), msg);
        assertTrue(msg.contains("malformed JSON"), msg);
    }

    @Test
    void shouldNameUnknownFieldItsPathAndTheKnownOnes() {
        String msg = error("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernal\": \"noop\"}]}");
        assertTrue(msg.contains("unknown field 'kernal' at tasks[0]"), msg);
        assertTrue(msg.contains("known fields: [dependsOn, id, inputs, kernel, maxAttempts, params, resources, timeoutMs]"), msg);
    }

    /** Numbers are not quietly turned into ids, fractions into whole GPUs, nor text into numbers. */
    @Test
    void shouldRefuseValuesOfTheWrongKindWithoutJavaNames() {
        String id = error("{\"id\": 42, \"tasks\": []}");
        assertTrue(id.contains("field id: expected a string, not 42"), id);
        String gpus = error("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"noop\", "
                + "\"resources\": {\"cpus\": 1, \"gpus\": 0.5}}]}");
        assertTrue(gpus.contains("field tasks[0].resources.gpus: expected a whole number, not 0.5"), gpus);
        String dep = error("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"noop\", \"dependsOn\": [7]}]}");
        assertTrue(dep.contains("field tasks[0].dependsOn[0]: expected a string, not 7"), dep);
        String cpus = error("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"noop\", "
                + "\"resources\": {\"cpus\": \"2\"}}]}");
        assertTrue(cpus.contains("field tasks[0].resources.cpus: expected a number, not '2'"), cpus);
        String tasks = error("{\"id\": \"j\", \"tasks\": {\"id\": \"a\"}}");
        assertTrue(tasks.contains("field tasks: expected an array"), tasks);
        for (String msg : List.of(id, gpus, dep, cpus, tasks)) {
            assertTrue(!msg.contains("java.") && !msg.contains("dev.colony"), msg);
        }
        assertEquals(1, JobSpecReader.parse("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"noop\", "
                + "\"resources\": {\"cpus\": 1, \"gpus\": 1}}]}", "job.json").tasks().get(0).resources().gpus());
    }

    @Test
    void shouldNameFieldWithWrongType() {
        String msg = error("{\"id\": \"j\", \"tasks\": [{\"id\": \"a\", \"kernel\": \"noop\", \"maxAttempts\": \"lots\"}]}");
        assertTrue(msg.contains("field tasks[0].maxAttempts"), msg);
    }

    @Test
    void shouldRejectTrailingGarbageAndEmptyDocument() {
        assertTrue(error("{\"id\": \"j\", \"tasks\": []} {").contains("job.json:1:"));
        assertTrue(error("null").contains("null"));
    }

    @Test
    void shouldSayWhenFileIsMissing() {
        var e = assertThrows(JobSpecReader.FormatException.class, () -> JobSpecReader.read(Path.of("/no/such/job.json")));
        assertEquals("/no/such/job.json: no such file", e.getMessage());
    }

    @Test
    void shouldKeepNullTaskForValidationToName() {
        assertEquals(List.of(), JobSpecReader.parse("{\"id\": \"j\"}", "x").tasks());
        assertEquals(null, JobSpecReader.parse("{\"id\": \"j\", \"tasks\": [null]}", "x").tasks().getFirst());
    }
}
