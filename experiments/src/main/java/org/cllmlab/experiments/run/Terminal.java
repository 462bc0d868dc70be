package org.cllmlab.experiments.run;

/** Whether the console's stderr is a terminal, where a progress bar may be redrawn in place. */
public final class Terminal {

    private Terminal() {
    }

    /**
     * Whether stderr is a terminal: the launcher says so ({@code -Dcllmlab.stderrTty}), since it sees the
     * shell's file descriptors before the JVM's own filter takes stderr over; else the console does.
     */
    public static boolean stderrIsTerminal() {
        String tty = System.getProperty("cllmlab.stderrTty");
        if (tty != null) {
            return Boolean.parseBoolean(tty);
        }
        return System.console() != null && isTerminal();
    }

    private static boolean isTerminal() {
        try {
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
