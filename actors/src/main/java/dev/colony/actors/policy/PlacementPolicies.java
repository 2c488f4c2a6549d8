package dev.colony.actors.policy;

import java.util.List;
import java.util.function.Supplier;

/** The built-in policies by name. */
public final class PlacementPolicies {

    private static final List<String> NAMES = List.of("least-loaded", "power-of-two", "random", "round-robin");

    private PlacementPolicies() {
    }

    /** Names accepted by {@link #create}. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new instance of the built-in policy called {@code name}.
     *
     * @throws IllegalArgumentException naming the known policies when {@code name} is not one
     */
    public static PlacementPolicy create(String name) {
        Supplier<PlacementPolicy> s = switch (name) {
            case "least-loaded" -> LeastLoadedPolicy::new;
            case "power-of-two" -> PowerOfTwoChoicesPolicy::new;
            case "random" -> RandomPolicy::new;
            case "round-robin" -> RoundRobinPolicy::new;
            default -> throw new IllegalArgumentException("colony.placement.policy = '" + name
                    + "' is not a known policy; known: " + String.join(", ", NAMES));
        };
        return s.get();
    }
}
