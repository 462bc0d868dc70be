package org.cllmlab.core.memory;

import java.util.List;
import java.util.Map;

/**
 * All probes read at one moment. A probe that failed or is unavailable is {@code null} and, if it failed,
 * its error is in {@link #failures()}.
 *
 * @param atNanos  {@link System#nanoTime()} when the sample started
 * @param quickRssBytes RSS from /proc/self/statm (kernel counters, cheap), or -1; read in every sample
 * @param resident process RSS/PSS (smaps_rollup, or /proc status); null in a cheap sample
 * @param status   /proc/self/status (RssFile, VmHWM, OS thread count); null in a cheap sample
 * @param heap     heap, non-heap and thread counts from the MXBeans
 * @param ledger   the ledger's live bytes by category, or null without a ledger
 * @param nmt      NMT summary; null when NMT is off, or in a cheap sample
 * @param map      per-mapping resident sizes; null in a cheap sample
 * @param failures errors of the probes that failed
 */
public record MemorySample(long atNanos, long quickRssBytes, SmapsRollup resident, ProcStatus status, HeapProbe.Snapshot heap,
                           Map<Category, Long> ledger, NativeMemory nmt, ProcessMap map, List<String> failures) {

    public MemorySample {
        failures = List.copyOf(failures);
        ledger = ledger == null ? null : Map.copyOf(ledger);
    }

    /** Resident bytes, or -1 if that probe failed. */
    public long rssBytes() {
        if (resident != null) {
            return resident.rssBytes();
        }
        if (status != null && status.vmRssBytes() != null) {
            return status.vmRssBytes();
        }
        return quickRssBytes;
    }

    /** Whether the sample has the per-mapping detail the breakdown needs. */
    public boolean detailed() {
        return map != null;
    }

    /** How much a sample reads. */
    public enum Level {
        /** statm RSS, MXBeans, ledger: tens of microseconds. */
        CHEAP,
        /** also smaps_rollup (PSS), /proc status and NMT: a few milliseconds on a large heap. */
        FULL,
        /** also the process map with per-mapping RSS: some more milliseconds. */
        DETAILED
    }

    /** Takes the probes of a level now; never throws. */
    public static MemorySample take(MemoryLedger ledgerOrNull, boolean withNmt, Level level) {
        long t = System.nanoTime();
        List<String> failures = new java.util.ArrayList<>();
        SmapsRollup resident = null;
        ProcStatus status = null;
        HeapProbe.Snapshot heap = null;
        NativeMemory nmt = null;
        ProcessMap map = null;
        long quick = -1;
        try {
            quick = Statm.rssBytes();
        } catch (RuntimeException e) {
            failures.add("statm: " + e.getMessage());
        }
        if (level != Level.CHEAP) {
            try {
                resident = SmapsRollup.read();
            } catch (RuntimeException e) {
                failures.add("smaps_rollup: " + e.getMessage());
            }
            try {
                status = ProcStatus.read();
            } catch (RuntimeException e) {
                failures.add("status: " + e.getMessage());
            }
        }
        try {
            heap = HeapProbe.sample();
        } catch (RuntimeException e) {
            failures.add("heap: " + e.getMessage());
        }
        Map<Category, Long> ledger = ledgerOrNull == null ? null : ledgerOrNull.snapshot();
        if (withNmt && level != Level.CHEAP) {
            try {
                nmt = NativeMemory.read();
            } catch (RuntimeException e) {
                failures.add("nmt: " + e.getMessage());
            }
        }
        if (level == Level.DETAILED) {
            try {
                map = ProcessMap.read(nmt != null);
            } catch (RuntimeException e) {
                failures.add("map: " + e.getMessage());
            }
        }
        return new MemorySample(t, quick, resident, status, heap, ledger, nmt, map, failures);
    }

    /** RSS from /proc/self/statm: kernel counters, no page walk, so cheap enough for every tick. */
    static final class Statm {
        private static final java.nio.file.Path PATH = java.nio.file.Path.of("/proc/self/statm");
        private static volatile long pageSize;

        private Statm() {
        }

        static long rssBytes() {
            long pages = parseResidentPages(ProcFields.read(PATH));
            return pages * pageSize(pages);
        }

        static long parseResidentPages(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("statm: expected at least 2 numbers, got '" + text.trim() + "'");
            }
            return Long.parseLong(parts[1]);
        }

        /** The page size, found once by comparing statm's page count with status's VmRSS in kB. */
        private static long pageSize(long pages) {
            long p = pageSize;
            if (p == 0) {
                p = 4096;
                try {
                    Long rss = ProcStatus.read().vmRssBytes();
                    if (rss != null && pages > 0) {
                        long guess = rss / pages;
                        for (long candidate : new long[] {4096, 16384, 65536}) {
                            if (Math.abs(guess - candidate) < candidate / 4) {
                                p = candidate;
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    // keep 4 KiB
                }
                pageSize = p;
            }
            return p;
        }
    }
}
