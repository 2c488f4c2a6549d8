package dev.colony.actors.policy;

import dev.colony.actors.CborSerializable;
import java.util.Map;

/**
 * The learner's run-time estimates as schedulers use them: per kernel, a line of run time at speed
 * 1 over work size. Tasks put the estimate in their {@link PlacementRequest} and in the offer they
 * accept, so a node can tell how much work waits in its queue.
 *
 * @param fits kernel name → its fitted line
 */
public record RunEstimates(Map<String, Fit> fits) implements CborSerializable {

    /** No estimates: every run time is unknown (0). */
    public static final RunEstimates NONE = new RunEstimates(Map.of());

    /** Copies the map. */
    public RunEstimates {
        fits = Map.copyOf(fits);
    }

    /**
     * Run time at speed 1 over work size x: {@code meanY + slope·(x − meanX)} when the fit has a
     * slope, else {@code meanY · x / meanX} (proportional to work).
     */
    public record Fit(double meanX, double meanY, double slope, boolean linear) implements CborSerializable {

        /** The estimate for work size {@code x}, at least 0. */
        public double at(double x) {
            if (linear) {
                return Math.max(0, meanY + slope * (x - meanX));
            }
            return meanX > 0 ? meanY * x / meanX : meanY;
        }
    }

    /** Expected run time in ms at speed 1 of {@code kernel} for {@code workSize}; 0 when unknown. */
    public double expectedRunMs(String kernel, double workSize) {
        Fit f = fits.get(kernel);
        return f == null ? 0 : f.at(workSize);
    }
}
