package dev.colony.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The search thread's priority is lowered for that thread alone, and inherited by the threads it starts. */
class NicenessTest {

    /** The calling thread's nice value, from /proc (field 19 of its stat line). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd on
        return Integer.parseInt(fields[19 - 3]);
    }

    @Test
    void shouldLowerTheCallingThreadOnlyAndPassItToThreadsItStarts() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "not Linux: thread priorities are not set");
        int before = niceOfThisThread();
        AtomicReference<Object[]> seen = new AtomicReference<>();
        Thread search = new Thread(() -> {
            try {
                Optional<String> failed = Niceness.lowerCurrentThread(19);
                int mine = niceOfThisThread();
                int[] child = new int[1];
                Thread started = new Thread(() -> {
                    try {
                        child[0] = niceOfThisThread();
                    } catch (Exception e) {
                        child[0] = -100;
                    }
                });
                started.start();
                started.join();
                seen.set(new Object[] {failed, mine, child[0]});
            } catch (Exception e) {
                seen.set(new Object[] {Optional.of(e.toString()), -1, -1});
            }
        });
        search.start();
        search.join();
        assertEquals(Optional.empty(), seen.get()[0]);
        assertEquals(19, seen.get()[1]);
        assertEquals(19, seen.get()[2]);
        assertEquals(before, niceOfThisThread()); // this thread, and so the process, untouched
    }

    @Test
    void shouldRefuseANiceValueOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Niceness.lowerCurrentThread(20));
        assertThrows(IllegalArgumentException.class, () -> Niceness.lowerCurrentThread(-1));
    }
}
