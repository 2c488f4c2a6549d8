package dev.colony.actors.kernel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The kernels a node can run, by name. Immutable once built; safe to share between threads.
 */
public final class KernelRegistry {

    private final java.util.SortedMap<String, Kernel> byName;

    private KernelRegistry(Map<String, Kernel> byName) {
        this.byName = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(byName));
    }

    /**
     * Every kernel {@link ServiceLoader} finds through {@code loader}, plus the classes named in
     * {@code extraClassNames}.
     *
     * @throws IllegalArgumentException when a named class cannot be loaded or two kernels share a name
     */
    public static KernelRegistry discover(ClassLoader loader, Collection<String> extraClassNames) {
        var found = new TreeMap<String, Kernel>();
        for (Kernel k : ServiceLoader.load(Kernel.class, loader)) {
            add(found, k);
        }
        for (String className : extraClassNames) {
            add(found, instantiate(loader, className));
        }
        return new KernelRegistry(found);
    }

    /** A registry of exactly {@code kernels}. */
    public static KernelRegistry of(Kernel... kernels) {
        var found = new TreeMap<String, Kernel>();
        for (Kernel k : kernels) {
            add(found, k);
        }
        return new KernelRegistry(found);
    }

    /** The kernel called {@code name}, if registered. */
    public Optional<Kernel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Registered names, sorted, comma separated: used in "unknown kernel" errors. */
    public String knownNames() {
        return String.join(", ", byName.keySet());
    }

    /** All registered kernels, sorted by name. */
    public Collection<Kernel> all() {
        return byName.values();
    }

    private static void add(Map<String, Kernel> found, Kernel k) {
        Kernel previous = found.putIfAbsent(k.name(), k);
        if (previous != null && previous.getClass() != k.getClass()) {
            throw new IllegalArgumentException("two kernels are called '" + k.name() + "': "
                    + previous.getClass().getName() + " and " + k.getClass().getName());
        }
    }

    private static Kernel instantiate(ClassLoader loader, String className) {
        try {
            Class<?> c = Class.forName(className, true, loader);
            return (Kernel) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("colony.kernels.classes: cannot load kernel class '" + className
                    + "': " + e, e);
        }
    }
}
