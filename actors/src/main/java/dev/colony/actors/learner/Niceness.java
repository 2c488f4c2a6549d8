package dev.colony.actors.learner;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Lowers the CPU priority of the calling thread alone: on Linux {@code setpriority(PRIO_PROCESS,
 * gettid(), nice)} applies to one thread, and threads it starts later inherit it. The learner's
 * search runs so ({@code colony.learner.search-nice}): it then takes the cores the tasks leave idle
 * and yields them when tasks want them, instead of a fixed share of a core taken from the work it
 * learns from. Raising a thread's nice value needs no privilege; lowering it again would.
 */
final class Niceness {

    private static final int PRIO_PROCESS = 0;

    private Niceness() {
    }

    /**
     * Sets the calling thread's nice value to {@code nice} (0..19).
     *
     * @return why it could not (not Linux, no such C function, the call failed); empty once done
     */
    static Optional<String> lowerCurrentThread(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice = " + nice + " must lie in 0..19");
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("thread priorities are set on Linux only, not on " + System.getProperty("os.name"));
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Optional<MethodHandle> gettid = libc.find("gettid").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(JAVA_INT)));
            Optional<MethodHandle> setpriority = libc.find("setpriority").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)));
            if (gettid.isEmpty() || setpriority.isEmpty()) {
                return Optional.of("the C library has no gettid or setpriority");
            }
            int tid = (int) gettid.get().invokeExact();
            int rc = (int) setpriority.get().invokeExact(PRIO_PROCESS, tid, nice);
            return rc == 0 ? Optional.empty() : Optional.of("setpriority(" + tid + ", " + nice + ") failed");
        } catch (Throwable e) { // IllegalCallerException without --enable-native-access, among others
            return Optional.of(e.toString());
        }
    }
}
