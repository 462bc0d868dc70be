package org.cllmlab.core.memory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's memory mappings with the resident size of each, and what each mapping is for. This is how
 * the breakdown measures resident memory per JVM area rather than using committed figures.
 *
 * <p>Two sources, best first:
 * <ol>
 *   <li>{@link Source#SYSTEM_MAP}: the {@code System.map} diagnostic command (JDK 22+), which lists every
 *       mapping with its RSS and, when NMT is on (summary is enough), its NMT tag: {@code JAVAHEAP},
 *       {@code STACK-<tid>-<name>}, {@code CODE}, {@code GC}, {@code CARDTBL}, {@code META}, {@code CLASS},
 *       {@code CDS}, {@code INTERN}, {@code POLL}, ...</li>
 *   <li>{@link Source#SMAPS}: {@code /proc/self/smaps}, where only the Java heap can be tagged, by the
 *       address range that {@code GC.heap_info} prints; everything else is file-backed or untagged.</li>
 * </ol>
 *
 * @param source   where the mappings came from
 * @param mappings every mapping, in address order
 */
public record ProcessMap(Source source, List<Mapping> mappings) {

    public enum Source {
        SYSTEM_MAP,
        SMAPS
    }

    /** Set to {@code smaps} to skip System.map (to check the fallback on a JDK that has it). */
    public static final String SOURCE_PROPERTY = "cllmlab.memory.map";

    /** Tags this class gives in place of an NMT tag. */
    public static final String UNTAGGED = "-";

    public static final String TAG_HEAP = "JAVAHEAP";
    public static final String TAG_STACK = "STACK";

    /**
     * One mapping.
     *
     * @param start    first address
     * @param end      address after the last
     * @param prot     protection, e.g. {@code rw-p}
     * @param rssBytes resident bytes
     * @param tag      the NMT tag with any thread id and name cut off ({@code STACK}), or {@link #UNTAGGED}
     * @param file     the mapped file, a kernel pseudo name such as {@code [heap]}, or null if anonymous
     */
    public record Mapping(long start, long end, String prot, long rssBytes, String tag, String file) {
        public long sizeBytes() {
            return end - start;
        }

        /** Backed by a real file (not anonymous, not a pseudo name like [heap] or [stack]). */
        public boolean fileBacked() {
            return file != null && !file.startsWith("[");
        }
    }

    public ProcessMap {
        mappings = List.copyOf(mappings);
    }

    public long rssBytes() {
        long sum = 0;
        for (Mapping m : mappings) {
            sum += m.rssBytes();
        }
        return sum;
    }

    /** Resident bytes by tag; untagged mappings are split into "file" and "anon". */
    public Map<String, Long> residentByTag() {
        Map<String, Long> r = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            String key = !UNTAGGED.equals(m.tag()) ? m.tag() : m.fileBacked() ? "file" : "anon";
            r.merge(key, m.rssBytes(), Long::sum);
        }
        return Collections.unmodifiableMap(r);
    }

    /** Resident bytes of mappings with this tag. */
    public long resident(String tag) {
        long sum = 0;
        for (Mapping m : mappings) {
            if (m.tag().equals(tag)) {
                sum += m.rssBytes();
            }
        }
        return sum;
    }

    /** Resident bytes of untagged mappings that are backed by real files (libraries, jars, archives). */
    public long untaggedFileResident() {
        long sum = 0;
        for (Mapping m : mappings) {
            if (UNTAGGED.equals(m.tag()) && m.fileBacked()) {
                sum += m.rssBytes();
            }
        }
        return sum;
    }

    /** Resident bytes of untagged anonymous mappings: malloc arenas, the brk heap, anything NMT does not see. */
    public long untaggedAnonResident() {
        long sum = 0;
        for (Mapping m : mappings) {
            if (UNTAGGED.equals(m.tag()) && !m.fileBacked()) {
                sum += m.rssBytes();
            }
        }
        return sum;
    }

    private static final Pattern SYSTEM_MAP_LINE = Pattern.compile(
            "^0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(.*)$");

    /** Parses the output of the System.map diagnostic command. */
    public static ProcessMap parseSystemMap(String text) {
        List<Mapping> list = new ArrayList<>();
        for (String line : text.split("\\R")) {
            Matcher m = SYSTEM_MAP_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String info = m.group(9);
            String tag = info;
            if (info.startsWith(TAG_STACK)) {
                tag = TAG_STACK;
            } else if (info.isEmpty() || info.equals("-")) {
                tag = UNTAGGED;
            }
            String file = m.group(10).strip();
            if (file.isEmpty() || file.equals("-")) {
                file = null;
            }
            list.add(new Mapping(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
                    m.group(4), Long.parseLong(m.group(5)), tag, file));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("System.map: no mapping lines");
        }
        return new ProcessMap(Source.SYSTEM_MAP, list);
    }

    private static final Pattern SMAPS_HEADER = Pattern.compile(
            "^([0-9a-fA-F]+)-([0-9a-fA-F]+)\\s+(\\S+)\\s+\\S+\\s+\\S+\\s+\\d+\\s*(.*)$");
    private static final Pattern SMAPS_RSS = Pattern.compile("^Rss:\\s+(\\d+)\\s*kB");

    /**
     * Parses {@code /proc/self/smaps}. Mappings inside {@code heapRange} ({@code [start, end)}, may be null)
     * are tagged {@link #TAG_HEAP}; all others are untagged.
     */
    public static ProcessMap parseSmaps(String text, long[] heapRange) {
        List<Mapping> list = new ArrayList<>();
        long start = 0;
        long end = 0;
        String prot = null;
        String file = null;
        long rss = -1;
        for (String line : text.split("\\R")) {
            Matcher h = SMAPS_HEADER.matcher(line);
            if (h.matches()) {
                if (prot != null) {
                    list.add(smapsMapping(start, end, prot, Math.max(rss, 0), file, heapRange));
                }
                start = Long.parseUnsignedLong(h.group(1), 16);
                end = Long.parseUnsignedLong(h.group(2), 16);
                prot = h.group(3);
                file = h.group(4).isBlank() ? null : h.group(4).strip();
                rss = -1;
                continue;
            }
            Matcher r = SMAPS_RSS.matcher(line);
            if (r.find() && prot != null) {
                rss = Long.parseLong(r.group(1)) * 1024;
            }
        }
        if (prot != null) {
            list.add(smapsMapping(start, end, prot, Math.max(rss, 0), file, heapRange));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("smaps: no mappings");
        }
        return new ProcessMap(Source.SMAPS, list);
    }

    private static Mapping smapsMapping(long start, long end, String prot, long rss, String file, long[] heap) {
        boolean inHeap = heap != null && Long.compareUnsigned(start, heap[0]) >= 0
                && Long.compareUnsigned(end, heap[1]) <= 0;
        return new Mapping(start, end, prot, rss, inHeap ? TAG_HEAP : UNTAGGED, file);
    }

    private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-fA-F]+),\\s*0x([0-9a-fA-F]+)");

    /** The Java heap's reserved address range from {@code GC.heap_info} text, or null if it prints none. */
    public static long[] parseHeapRange(String gcHeapInfo) {
        Matcher m = HEAP_RANGE.matcher(gcHeapInfo);
        if (!m.find()) {
            return null;
        }
        return new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)};
    }

    /**
     * Reads this process's map: System.map when the JVM has it and NMT is on (tags need NMT), else smaps with
     * the heap range from GC.heap_info.
     */
    public static ProcessMap read(boolean nmtOn) {
        if (nmtOn && !"smaps".equals(System.getProperty(SOURCE_PROPERTY))) {
            try {
                return parseSystemMap(NativeMemory.DiagnosticCommands.invoke("systemMap"));
            } catch (RuntimeException e) {
                // JDK 21 has no System.map: fall through to smaps
            }
        }
        long[] heap = null;
        try {
            heap = parseHeapRange(NativeMemory.DiagnosticCommands.invoke("gcHeapInfo"));
        } catch (RuntimeException e) {
            // no heap range: the heap stays untagged
        }
        return parseSmaps(ProcFields.read(Path.of("/proc/self/smaps")), heap);
    }
}
