package dev.colony.actors.gpu;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import dev.colony.actors.CborSerializable;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.CuBlas;
import dev.colony.gpu.cuda.CudaLibraries;
import dev.colony.gpu.cuda.GpuTiming;

/**
 * One actor per GPU: it opens the device on its own pinned thread ({@link #DISPATCHER}), which then
 * owns the CUDA context, the cuBLAS handle and the stream, and takes GEMM work on off-heap matrices
 * one message at a time. The GPU works asynchronously: the actor enqueues and goes on, and the
 * answer (with H2D, kernel and D2H times) goes to the requester when the GPU is done. Every
 * finished GEMM is also published on the actor system's event stream as {@link Measured}, where
 * the node's monitor listens.
 *
 * <p>Messages carry off-heap matrices, so they never leave the JVM: a GPU bridge serves its own
 * node only. A GPU that fails to open answers every request with the reason.
 */
public final class GpuBridge {

    /** Where bridges must be spawned: a thread of their own for the actor's whole life. */
    public static final DispatcherSelector DISPATCHER = DispatcherSelector.fromConfig("colony.gpu-dispatcher");

    /** What a bridge takes. */
    public sealed interface Command {
    }

    /** {@code C = A·B}; the matrices must be in a shared arena and stay untouched until {@link Done}. */
    public record Gemm(Matrix a, Matrix b, Matrix c, boolean tf32, ActorRef<Done> replyTo)
            implements Command, NoSerializationVerificationNeeded {
    }

    /**
     * The answer to {@link Gemm}.
     *
     * @param c      the request's C, now holding A·B (null on failure)
     * @param timing where the time went, null on failure
     * @param error  why it failed, null on success
     */
    public record Done(Matrix c, GpuTiming timing, String error) implements NoSerializationVerificationNeeded {
    }

    /** A finished GPU GEMM, for monitors (event stream). */
    public record Measured(String node, int device, int m, int n, int k, double h2dMillis, double kernelMillis,
                           double d2hMillis) implements CborSerializable {
    }

    private GpuBridge() {
    }

    /** A bridge to GPU {@code device} of node {@code node}; spawn it with {@link #DISPATCHER}. */
    public static Behavior<Command> create(String node, CudaLibraries libraries, int device) {
        return Behaviors.setup(ctx -> {
            CuBlas blas;
            try {
                blas = CuBlas.open(libraries, device);
            } catch (RuntimeException | LinkageError e) {
                String reason = "GPU " + device + " of node '" + node + "' is unusable: " + e.getMessage();
                ctx.getLog().error(reason);
                return unusable(reason);
            }
            ctx.getLog().info("GPU {} of node '{}' opened with {}", device, node, libraries.cublas());
            var events = ctx.getSystem().eventStream();
            return Behaviors.receive(Command.class)
                    .onMessage(Gemm.class, g -> {
                        try {
                            blas.gemmAsync(1, g.a(), g.b(), 0, g.c(), g.tf32()).whenComplete((t, e) -> {
                                if (e != null) {
                                    g.replyTo().tell(new Done(null, null, "GPU " + device + ": " + e.getMessage()));
                                } else {
                                    g.replyTo().tell(new Done(g.c(), t, null));
                                    events.tell(new EventStream.Publish<>(new Measured(node, device, g.a().rows(),
                                            g.b().cols(), g.a().cols(), t.h2dMillis(), t.kernelMillis(),
                                            t.d2hMillis())));
                                }
                            });
                        } catch (RuntimeException e) { // bad input or a CUDA error while enqueueing
                            g.replyTo().tell(new Done(null, null, "GPU " + device + ": " + e.getMessage()));
                        }
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        blas.close();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static Behavior<Command> unusable(String reason) {
        return Behaviors.receive(Command.class)
                .onMessage(Gemm.class, g -> {
                    g.replyTo().tell(new Done(null, null, reason));
                    return Behaviors.same();
                })
                .build();
    }
}
