package org.cllmlab.experiments.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in this JVM, as a user would from a shell, capturing what it prints. */
public final class Lab {

    /** How a command went: its exit code, and what it printed on each stream. */
    public record Outcome(int code, String out, String err) {
    }

    private Lab() {
    }

    public static Outcome run(String... args) {
        return run(Map.of(), args);
    }

    /** As {@link #run(String...)}, with {@code environment} added to that of the Slurm commands it runs. */
    public static Outcome run(Map<String, String> environment, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(environment, args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
