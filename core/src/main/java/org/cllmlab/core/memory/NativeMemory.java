package org.cllmlab.core.memory;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The JVM's Native Memory Tracking summary: reserved and committed bytes per NMT category, read in-process
 * through the DiagnosticCommand MBean (the same text as {@code jcmd <pid> VM.native_memory summary}).
 * Available only when the JVM was started with {@code -XX:NativeMemoryTracking=summary} (or {@code detail});
 * otherwise {@link #read()} returns {@code null}.
 *
 * <p>What the figures mean: NMT <em>reserved</em> is address space; NMT <em>committed</em> is memory the
 * JVM has committed with the OS or malloc'd. Neither is resident: committed pages that were never touched
 * take no RAM. One exception on Linux: NMT finds the committed part of thread stacks by asking the kernel
 * which pages are in core, so the stack "committed" figure is close to the stacks' resident size.
 *
 * <p>The parser accepts the formats of JDK 11 to 25: sizes with or without a scale suffix (bytes, KB, MB,
 * GB), "(thread #N)" or "(threads #N)", "(stack: reserved=.., committed=.., peak=..)", "tag=" or
 * "type=" in malloc lines, and "at peak"/"peak=" annotations.
 *
 * @param totalReservedBytes  the "Total:" line's reserved
 * @param totalCommittedBytes the "Total:" line's committed
 * @param totalMallocBytes    the malloc'd part of the total (null if the line is missing)
 * @param categories          category name (as NMT prints it, e.g. "Java Heap", "Thread") → figures
 * @param stackReservedBytes  thread stacks reserved (null if not printed)
 * @param stackCommittedBytes thread stacks committed (null if not printed)
 * @param threadCount         the Thread category's "(thread #N)" count (null if not printed)
 */
public record NativeMemory(long totalReservedBytes, long totalCommittedBytes, Long totalMallocBytes,
                           Map<String, Figures> categories, Long stackReservedBytes, Long stackCommittedBytes,
                           Integer threadCount) {

    /** Text NMT prints in place of the summary when tracking is off. */
    public static final String NOT_ENABLED = "Native memory tracking is not enabled";

    /**
     * One NMT category.
     *
     * @param reservedBytes  address space set aside
     * @param committedBytes committed or malloc'd
     * @param mallocBytes    the malloc'd part (null if not printed)
     * @param mmapCommittedBytes the mmap'd committed part (null if not printed)
     */
    public record Figures(long reservedBytes, long committedBytes, Long mallocBytes, Long mmapCommittedBytes) {
    }

    public NativeMemory {
        categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
    }

    public Figures category(String name) {
        return categories.get(name);
    }

    private static final String SIZE = "(\\d+)\\s*([KMG]?B)?";
    private static final Pattern TOTAL = Pattern.compile(
            "^\\s*Total:\\s*reserved=" + SIZE + ",\\s*committed=" + SIZE);
    private static final Pattern TOTAL_MALLOC = Pattern.compile("^\\s*malloc:\\s*" + SIZE);
    private static final Pattern CATEGORY = Pattern.compile(
            "^\\s*-\\s*(\\S.*?)\\s*\\(\\s*reserved=" + SIZE + ",\\s*committed=" + SIZE);
    private static final Pattern MALLOC = Pattern.compile("^\\s*\\(\\s*malloc=" + SIZE);
    private static final Pattern MMAP = Pattern.compile(
            "^\\s*\\(\\s*mmap:\\s*reserved=" + SIZE + ",\\s*committed=" + SIZE);
    private static final Pattern STACK = Pattern.compile(
            "^\\s*\\(\\s*stack:\\s*reserved=" + SIZE + ",\\s*committed=" + SIZE);
    private static final Pattern THREADS = Pattern.compile("^\\s*\\(\\s*threads?\\s*#(\\d+)\\s*\\)");

    /**
     * Parses a summary.
     *
     * @return null if the text says NMT is not enabled
     * @throws IllegalArgumentException if the text is empty or has no "Total:" line
     */
    public static NativeMemory parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("NMT summary: empty text");
        }
        if (text.contains(NOT_ENABLED)) {
            return null;
        }
        Long totalReserved = null;
        Long totalCommitted = null;
        Long totalMalloc = null;
        Long stackReserved = null;
        Long stackCommitted = null;
        Integer threads = null;
        Map<String, long[]> raw = new LinkedHashMap<>(); // reserved, committed, malloc(-1), mmapCommitted(-1)
        long[] current = null;
        boolean inTotal = false;
        for (String line : text.split("\\R")) {
            Matcher m;
            if ((m = TOTAL.matcher(line)).find()) {
                totalReserved = bytes(m, 1);
                totalCommitted = bytes(m, 3);
                inTotal = true;
                current = null;
            } else if ((m = CATEGORY.matcher(line)).find()) {
                current = new long[] {bytes(m, 2), bytes(m, 4), -1, -1};
                raw.put(m.group(1), current);
                inTotal = false;
            } else if (inTotal && (m = TOTAL_MALLOC.matcher(line)).find()) {
                totalMalloc = bytes(m, 1);
            } else if (current != null && (m = MALLOC.matcher(line)).find()) {
                current[2] = bytes(m, 1);
            } else if (current != null && (m = MMAP.matcher(line)).find()) {
                current[3] = bytes(m, 3);
            } else if (current != null && (m = STACK.matcher(line)).find()) {
                stackReserved = bytes(m, 1);
                stackCommitted = bytes(m, 3);
            } else if (current != null && (m = THREADS.matcher(line)).find()) {
                threads = Integer.parseInt(m.group(1));
            }
        }
        if (totalReserved == null) {
            throw new IllegalArgumentException("NMT summary: no 'Total: reserved=.., committed=..' line");
        }
        Map<String, Figures> categories = new LinkedHashMap<>();
        raw.forEach((name, v) -> categories.put(name, new Figures(v[0], v[1],
                v[2] < 0 ? null : v[2], v[3] < 0 ? null : v[3])));
        return new NativeMemory(totalReserved, totalCommitted, totalMalloc, categories, stackReserved,
                stackCommitted, threads);
    }

    private static long bytes(Matcher m, int group) {
        long n = Long.parseLong(m.group(group));
        String unit = m.group(group + 1);
        if (unit == null) {
            return n;
        }
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "KB" -> n * 1024L;
            case "MB" -> n * 1024L * 1024;
            case "GB" -> n * 1024L * 1024 * 1024;
            default -> n;
        };
    }

    /**
     * The summary text of this JVM, via the DiagnosticCommand MBean.
     *
     * @throws IllegalStateException if the MBean or the command is not available
     */
    public static String readText() {
        return DiagnosticCommands.invoke("vmNativeMemory", "summary");
    }

    /** This JVM's summary, or {@code null} when NMT is off. */
    public static NativeMemory read() {
        return parse(readText());
    }

    /** Whether this JVM runs with NMT, judged from its input arguments. */
    public static boolean enabledByFlag() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:NativeMemoryTracking=") && !arg.endsWith("=off")) {
                return true;
            }
        }
        return false;
    }

    /** Calls diagnostic commands in-process. */
    static final class DiagnosticCommands {
        private static final String NAME = "com.sun.management:type=DiagnosticCommand";

        private DiagnosticCommands() {
        }

        static String invoke(String operation, String... args) {
            try {
                Object r = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(NAME), operation,
                        new Object[] {args}, new String[] {String[].class.getName()});
                return r == null ? "" : r.toString();
            } catch (Exception e) {
                throw new IllegalStateException("diagnostic command " + operation + " failed: " + e, e);
            }
        }
    }
}
