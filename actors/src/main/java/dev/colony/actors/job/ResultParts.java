package dev.colony.actors.job;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.actors.CborSerializable;
import dev.colony.actors.output.OutputRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's result travels in parts when it is large: a message between members must fit Artery's
 * frame (256 KiB by default), and a result holds a summary and an output per task. A job tells a
 * watcher either its {@link JobResult} or, past {@link #PART_BYTES} (estimated), {@link Part}s of
 * it, each a JobResult with a slice of the tasks; the client's side puts them together with an
 * {@link Assembler} (the job manager's relay and {@code Colony.result} do), so whoever asked gets
 * one whole result. Parts are cut the same way each time, so those of a result sent again fill
 * the gaps of the first.
 */
public final class ResultParts {

    /** Most bytes one part carries, by estimate: a quarter of Artery's default frame. */
    public static final long PART_BYTES = 64 * 1024;

    private ResultParts() {
    }

    /**
     * Part {@code index} (from 0) of {@code parts} of a result: {@code slice} holds some of its
     * tasks, with the outcome, reason and times of the whole.
     */
    public record Part(String jobId, int index, int parts, JobResult slice) implements CborSerializable {
    }

    /** The messages that carry {@code r}: itself when small, else its parts. */
    static List<Object> of(JobResult r) {
        List<Object> parts = new ArrayList<>();
        Slice slice = new Slice();
        for (Map.Entry<String, TaskSummary> t : new TreeMap<>(r.tasks()).entrySet()) {
            if (slice.bytes >= PART_BYTES) {
                parts.add(slice.result(r));
                slice = new Slice();
            }
            slice.add(r, t.getKey(), t.getValue());
        }
        if (parts.isEmpty()) {
            return List.of(r);
        }
        parts.add(slice.result(r));
        List<Object> numbered = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            numbered.add(new Part(r.jobId(), i, parts.size(), (JobResult) parts.get(i)));
        }
        return numbered;
    }

    /** Tells {@code watcher} the result {@code pieces} carry (see {@link #of}). */
    static void tell(ActorRef<JobResult> watcher, List<Object> pieces) {
        for (Object p : pieces) {
            watcher.<Object>unsafeUpcast().tell(p);
        }
    }

    private static final class Slice {
        final Map<String, TaskSummary> tasks = new HashMap<>();
        final Map<String, JsonNode> outputs = new HashMap<>();
        final Map<String, OutputRef> stored = new HashMap<>();
        long bytes;

        void add(JobResult r, String id, TaskSummary summary) {
            tasks.put(id, summary);
            bytes += 96 + 2L * id.length() + length(summary.node()) + length(summary.policy()) + length(summary.error());
            JsonNode value = r.outputs().get(id);
            if (value != null) {
                outputs.put(id, value);
                bytes += value.isContainerNode() || value.isTextual() ? value.toString().length() : 16;
            }
            OutputRef ref = r.storedOutputs().get(id);
            if (ref != null) {
                stored.put(id, ref);
                bytes += 256;
            }
        }

        JobResult result(JobResult whole) {
            return new JobResult(whole.jobId(), whole.outcome(), whole.reason(), outputs, stored, tasks,
                    whole.acceptedAtMs(), whole.finishedAtMs());
        }

        private static int length(String s) {
            return s == null ? 0 : s.length();
        }
    }

    /** Puts a result sent in parts together; not thread-safe (one per receiving actor). */
    public static final class Assembler {
        private JobResult[] parts;
        private int have;

        /** Takes a message from a job: the whole result once it is complete (a JobResult is), else null. */
        public JobResult offer(Object msg) {
            if (msg instanceof JobResult r) {
                return r;
            }
            if (!(msg instanceof Part p) || p.index() < 0 || p.index() >= p.parts()) {
                return null;
            }
            if (parts == null || parts.length != p.parts()) {
                parts = new JobResult[p.parts()];
                have = 0;
            }
            if (parts[p.index()] == null) {
                parts[p.index()] = p.slice();
                have++;
            }
            return have == parts.length ? whole() : null;
        }

        private JobResult whole() {
            Map<String, TaskSummary> tasks = new HashMap<>();
            Map<String, JsonNode> outputs = new HashMap<>();
            Map<String, OutputRef> stored = new HashMap<>();
            for (JobResult s : parts) {
                tasks.putAll(s.tasks());
                outputs.putAll(s.outputs());
                stored.putAll(s.storedOutputs());
            }
            JobResult first = parts[0];
            return new JobResult(first.jobId(), first.outcome(), first.reason(), outputs, stored, tasks,
                    first.acceptedAtMs(), first.finishedAtMs());
        }
    }
}
