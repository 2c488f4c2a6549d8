package dev.colony.actors.gpu;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import dev.colony.actors.kernel.GpuAccess;
import dev.colony.gpu.Matrix;
import dev.colony.gpu.cuda.GpuTiming;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link GpuAccess} through a {@link GpuBridge} actor: asks it and waits on the kernel's thread.
 *
 * @param device   the CUDA device the bridge drives
 * @param bridge   the bridge
 * @param scheduler the actor system's scheduler (for the ask timeout)
 * @param settings offload threshold and timeout
 */
public record BridgeAccess(int device, ActorRef<GpuBridge.Command> bridge, Scheduler scheduler,
                           GpuSettings settings) implements GpuAccess {

    @Override
    public double offloadMinFlops() {
        return settings.offloadMinFlops();
    }

    @Override
    public GpuTiming gemm(Matrix a, Matrix b, Matrix c) throws InterruptedException {
        GpuBridge.Done done;
        try {
            done = AskPattern.<GpuBridge.Command, GpuBridge.Done>ask(bridge,
                            replyTo -> new GpuBridge.Gemm(a, b, c, false, replyTo), settings.callTimeout(), scheduler)
                    .toCompletableFuture().get(settings.callTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new GpuAccess.Timeout("GPU " + device + " did not answer within " + settings.callTimeout(), e);
        }
        if (done.error() != null) {
            throw new IllegalStateException(done.error());
        }
        return done.timing();
    }
}
