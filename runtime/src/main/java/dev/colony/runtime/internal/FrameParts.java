package dev.colony.runtime.internal;

import akka.actor.typed.ActorSystem;
import akka.cluster.Cluster;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobManager;
import dev.colony.actors.job.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Cuts a job's tasks into parts that each reach another member: Artery drops a message larger than
 * its frame ({@code akka.remote.artery.advanced.maximum-frame-size}). A Start or part may take a
 * quarter of the frame, measured as it would travel (gzipped CBOR). Applies only while the cluster
 * has other members: a job entity in this process gets its Start unserialized, whole.
 */
final class FrameParts implements JobManager.StartParts {

    private final Serialization serialization;
    private final long frameBytes;
    private final IntSupplier members;

    FrameParts(Serialization serialization, long frameBytes, IntSupplier members) {
        this.serialization = serialization;
        this.frameBytes = frameBytes;
        this.members = members;
    }

    /** The parts for {@code system}'s frame, cut while its cluster has other members. */
    static FrameParts of(ActorSystem<?> system) {
        return new FrameParts(SerializationExtension.get(system.classicSystem()),
                system.settings().config().getBytes("akka.remote.artery.advanced.maximum-frame-size"),
                () -> Cluster.get(system.classicSystem()).state().members().size());
    }

    @Override
    public List<List<TaskSpec>> split(Job.Start start) {
        List<TaskSpec> tasks = start.spec().tasks();
        long most = frameBytes / 4;
        long whole;
        if (members.getAsInt() < 2 || (whole = bytes(start)) <= most) {
            return List.of(tasks);
        }
        long header = bytes(start.whole(List.of()));
        if (header > most) {
            throw new IllegalArgumentException("job '" + start.spec().id() + "' takes " + header + " bytes without its "
                    + "tasks (gzipped CBOR: id and labels), more than the " + most + " one message between cluster "
                    + "members may carry " + limit());
        }
        // First guess: ranges of about half the limit each; a range still too large is halved.
        int guess = (int) Math.min(tasks.size(), whole / Math.max(1, most / 2) + 1);
        Deque<int[]> ranges = new ArrayDeque<>();
        for (int i = 0; i < guess; i++) {
            ranges.addLast(new int[] {(int) ((long) i * tasks.size() / guess), (int) ((long) (i + 1) * tasks.size() / guess)});
        }
        List<List<TaskSpec>> parts = new ArrayList<>();
        while (!ranges.isEmpty()) {
            int[] r = ranges.pollFirst();
            List<TaskSpec> part = List.copyOf(tasks.subList(r[0], r[1]));
            long b = bytes(new Job.StartPart(start.submission(), parts.size(), part));
            if (b <= most) {
                parts.add(part);
            } else if (r[1] - r[0] == 1) {
                throw new IllegalArgumentException("task '" + part.getFirst().id() + "' of job '" + start.spec().id()
                        + "' takes " + b + " bytes (gzipped CBOR), more than the " + most + " one message between "
                        + "cluster members may carry " + limit() + "; pass large inputs as outputs of other tasks");
            } else {
                int mid = (r[0] + r[1]) >>> 1;
                ranges.addFirst(new int[] {mid, r[1]});
                ranges.addFirst(new int[] {r[0], mid});
            }
        }
        return parts;
    }

    private String limit() {
        return "(a quarter of akka.remote.artery.advanced.maximum-frame-size = " + frameBytes + ")";
    }

    private long bytes(Object message) {
        return serialization.serialize(message).get().length;
    }
}
