package org.cllmlab.core.memory;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Heap instances and bytes of one class, from the JVM's own class histogram
 * ({@code GC.class_histogram}, read in-process through the diagnostic-command MBean). The histogram
 * runs a full collection first, so it counts live objects only.
 */
public final class ClassHistogram {

    /** Instances and bytes of a class; zero when none are live. */
    public record Entry(long instances, long bytes) {
    }

    private ClassHistogram() {
    }

    /** Reads the histogram and returns the entry of {@code className}, or null if it cannot be read. */
    public static Entry of(String className) {
        try {
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return parse(String.valueOf(out), className);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Parses histogram text: lines such as {@code "  12:   63   201600  jdk.internal.vm.StackChunk (java.base@25)"}.
     */
    public static Entry parse(String text, String className) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && f[3].equals(className)) {
                return new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]));
            }
        }
        return new Entry(0, 0);
    }
}
