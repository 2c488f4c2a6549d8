package dev.colony.runtime.recovery;

import java.sql.DriverManager;

/** Holds an H2 journal open in its own JVM until its stdin closes, as a running node would. */
public final class HoldJournal {

    public static void main(String[] args) throws Exception {
        try (var c = DriverManager.getConnection(args[0], "sa", "")) {
            c.createStatement().execute("SELECT 1");
            System.out.println("HOLDING");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our stdin
            }
        }
    }
}
