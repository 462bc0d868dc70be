package org.cllmlab.experiments.cli;

import java.util.Locale;

/** One-line descriptions of failures a user can act on: what happened, and what to change. */
final class Failures {

    private Failures() {
    }

    /** What {@code t} (or its root cause) means for the user, in one line. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof OutOfMemoryError) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof OutOfMemoryError oom) {
            return outOfMemory(oom);
        }
        if (root instanceof StackOverflowError) {
            return "a thread's stack overflowed; give threads larger stacks (for example -Xss2m in LAB_JVM_OPTS, or "
                    + "--threads platform-1m)";
        }
        String m = t.getMessage();
        String first = t.getClass().getSimpleName() + (m == null ? "" : ": " + Main.oneLine(m));
        if (root != t && root.getMessage() != null && (m == null || !m.contains(root.getMessage()))) {
            first += " (cause: " + root.getClass().getSimpleName() + ": " + Main.oneLine(root.getMessage()) + ")";
        }
        return first;
    }

    static String outOfMemory(OutOfMemoryError e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("unable to create native thread") || m.contains("unable to create new native thread")) {
            return "the operating system refused to start another thread (" + m + "); lower --workers, use "
                    + "--threads virtual, or raise the limits (ulimit -u, /proc/sys/kernel/threads-max)";
        }
        long max = Runtime.getRuntime().maxMemory();
        return String.format(Locale.ROOT, "the JVM ran out of heap (%s; its maximum heap is %,d MiB); give it more "
                + "with LAB_JVM_OPTS=-Xmx%dm, or use a smaller --dataset-bytes or fewer --workers", m,
                max / (1024 * 1024), Math.max(512, 2 * max / (1024 * 1024)));
    }
}
