package dev.colony.runtime.internal;

import akka.actor.typed.ActorSystem;
import akka.cluster.Cluster;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.JobManager;
import java.util.function.IntSupplier;

/**
 * Rejects a job whose {@code Start} could not reach another member: Artery drops a message larger
 * than its frame ({@code akka.remote.artery.advanced.maximum-frame-size}), and the Start carries
 * the whole spec. The job's result, one summary per task, travels back the same way, so a Start
 * may take a quarter of the frame. Applies only while the cluster has other members: a job entity
 * in this process gets its Start unserialized.
 */
final class FrameLimit implements JobManager.StartLimit {

    private final Serialization serialization;
    private final long frameBytes;
    private final IntSupplier members;

    FrameLimit(Serialization serialization, long frameBytes, IntSupplier members) {
        this.serialization = serialization;
        this.frameBytes = frameBytes;
        this.members = members;
    }

    /** The limit of {@code system}'s frame, applied while its cluster has other members. */
    static FrameLimit of(ActorSystem<?> system) {
        return new FrameLimit(SerializationExtension.get(system.classicSystem()),
                system.settings().config().getBytes("akka.remote.artery.advanced.maximum-frame-size"),
                () -> Cluster.get(system.classicSystem()).state().members().size());
    }

    @Override
    public String tooLarge(Job.Start start) {
        if (members.getAsInt() < 2) {
            return null;
        }
        long bytes = serialization.serialize(start).get().length;
        long most = frameBytes / 4;
        return bytes <= most ? null : "job '" + start.spec().id() + "' is too large to send between cluster members: "
                + "its spec takes " + bytes + " bytes (gzipped CBOR), more than the " + most + " a job may take (a "
                + "quarter of akka.remote.artery.advanced.maximum-frame-size = " + frameBytes + ", which leaves room "
                + "for its result); split it into smaller jobs";
    }
}
