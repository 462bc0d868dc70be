package org.cllmlab.core.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the kernels need to know about this CPU to choose their register tile and cache blocks: the number
 * of architectural vector registers and the data-cache sizes of one core. Read once, from the operating
 * system, with fallbacks that fit any x86-64 or AArch64 core of the last decade.
 *
 * <ul>
 *   <li><b>Vector registers</b>: 32 with AVX-512 ({@code avx512f} among the flags of {@code /proc/cpuinfo})
 *       and on AArch64 (NEON and SVE both have 32), 16 otherwise (AVX2, SSE). The system property
 *       {@code cllmlab.vectorRegisters} overrides it (for measuring one tile against another).</li>
 *   <li><b>Caches</b>: {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type},
 *       {@code size}): the level-1 data cache, the level-2 cache and the level-3 cache (shared by
 *       {@code l3Sharers} cores, from its {@code shared_cpu_list}). Without them: 32 KiB, 256 KiB and
 *       8 MiB shared by the processor count.</li>
 *   <li><b>Hardware threads per core</b>: the count of {@code /sys/devices/system/cpu/cpu0/topology/thread_siblings_list}
 *       (1 without simultaneous multithreading, or where a hypervisor shows each core alone); 2 when
 *       unreadable, the safer guess for a kernel that must not depend on a core of its own.</li>
 * </ul>
 *
 * @param vectorRegisters architectural vector registers
 * @param l1dBytes        level-1 data cache of one core
 * @param l2Bytes         level-2 cache of one core
 * @param l3Bytes         level-3 cache, as a whole
 * @param l3Sharers       cores that share the level-3 cache
 * @param threadsPerCore  hardware threads that share one core (its registers' issue ports and its L1)
 * @param source          where the figures come from, for reports ({@code sysfs}, {@code fallback})
 */
public record CpuShape(int vectorRegisters, long l1dBytes, long l2Bytes, long l3Bytes, int l3Sharers,
                       int threadsPerCore, String source) {

    static final long FALLBACK_L1D = 32 * 1024;
    static final long FALLBACK_L2 = 256 * 1024;
    static final long FALLBACK_L3 = 8 * 1024 * 1024;
    static final int FALLBACK_THREADS_PER_CORE = 2;

    private static final CpuShape THIS = detect(Path.of("/proc/cpuinfo"), Path.of("/sys/devices/system/cpu/cpu0/cache"),
            System.getProperty("os.arch", ""), Runtime.getRuntime().availableProcessors());

    /** This machine's shape (detected once). */
    public static CpuShape current() {
        return THIS;
    }

    /** The level-3 cache one core can count on: its share when all sharers are busy. */
    public long l3PerCore() {
        return l3Bytes / Math.max(1, l3Sharers);
    }

    static CpuShape detect(Path cpuinfo, Path cacheDir, String arch, int processors) {
        int registers = registers(cpuinfo, arch);
        String override = System.getProperty("cllmlab.vectorRegisters");
        if (override != null) {
            registers = Integer.parseInt(override.trim());
        }
        long l1 = 0;
        long l2 = 0;
        long l3 = 0;
        int sharers = processors;
        for (int i = 0; i < 8; i++) {
            Path dir = cacheDir.resolve("index" + i);
            String level = read(dir.resolve("level"));
            String type = read(dir.resolve("type"));
            long size = parseSize(read(dir.resolve("size")));
            if (level == null || type == null || size <= 0) {
                continue;
            }
            switch (level) {
                case "1" -> {
                    if (type.equals("Data") || type.equals("Unified")) {
                        l1 = size;
                    }
                }
                case "2" -> l2 = size;
                case "3" -> {
                    l3 = size;
                    sharers = Math.max(1, countCpus(read(dir.resolve("shared_cpu_list")), processors));
                }
                default -> {
                }
            }
        }
        boolean found = l1 > 0 && l2 > 0;
        Path siblings = cacheDir.resolveSibling("topology").resolve("thread_siblings_list");
        int threads = countCpus(read(siblings), FALLBACK_THREADS_PER_CORE);
        return new CpuShape(registers, l1 > 0 ? l1 : FALLBACK_L1D, l2 > 0 ? l2 : FALLBACK_L2,
                l3 > 0 ? l3 : FALLBACK_L3, l3 > 0 ? sharers : processors, Math.max(1, threads),
                found ? "sysfs" : "fallback");
    }

    private static int registers(Path cpuinfo, String arch) {
        if (arch.equals("aarch64")) {
            return 32;
        }
        String info = read(cpuinfo);
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("flags")) {
                    return (" " + line.substring(line.indexOf(':') + 1) + " ").contains(" avx512f ") ? 32 : 16;
                }
            }
        }
        return 16;
    }

    /** {@code 32K}, {@code 1024K}, {@code 32M} or a plain byte count; -1 when unreadable. */
    static long parseSize(String s) {
        if (s == null || s.isBlank()) {
            return -1;
        }
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1024;
        } else if (t.endsWith("M")) {
            unit = 1024 * 1024;
        } else if (t.endsWith("G")) {
            unit = 1024L * 1024 * 1024;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseLong(t.trim()) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The number of CPUs in a list such as {@code 0-3,8}; {@code fallback} when unreadable. */
    static int countCpus(String list, int fallback) {
        if (list == null || list.isBlank()) {
            return fallback;
        }
        int n = 0;
        try {
            for (String part : list.trim().split(",")) {
                int dash = part.indexOf('-');
                n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1).trim())
                        - Integer.parseInt(part.substring(0, dash).trim()) + 1;
            }
        } catch (NumberFormatException e) {
            return fallback;
        }
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
