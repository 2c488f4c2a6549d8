package dev.colony.runtime.cli;

import dev.colony.actors.kernel.Kernel;
import dev.colony.actors.kernel.KernelRegistry;
import dev.colony.actors.node.NodeSettings;
import dev.colony.actors.policy.PlacementPolicies;
import dev.colony.gpu.BlasBackends;
import dev.colony.runtime.ColonySettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code colony info}: what this machine and configuration offer, without starting a node. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the Java runtime, the configured nodes, kernels, placement policies and BLAS backends.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() {
        ColonySettings s = config.settings();
        var out = System.out;
        out.println("Java:     " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.println("Nodes:");
        for (NodeSettings n : s.nodes()) {
            out.println("  " + n.name() + ": " + n.capacity() + ", speed factor " + n.speedFactor());
        }
        out.println("Kernels:");
        for (Kernel k : KernelRegistry.discover(InfoCommand.class.getClassLoader(), s.kernelClasses()).all()) {
            out.println("  " + k.name() + " - " + k.description());
        }
        out.println("Policies: " + String.join(", ", PlacementPolicies.names()) + " (configured: " + s.policy() + ")");
        out.println("BLAS:");
        BlasBackends.detected().describe().forEach(line -> out.println("  " + line));
        return ColonyCli.OK;
    }
}
