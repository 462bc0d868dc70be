package org.cllmlab.core.memory;

import java.util.List;
import java.util.Map;

/**
 * All probes read at one moment. A probe that failed or is unavailable is {@code null} and, if it failed,
 * its error is in {@link #failures()}.
 *
 * @param atNanos  {@link System#nanoTime()} when the sample started
 * @param resident process RSS/PSS (smaps_rollup, or /proc status)
 * @param status   /proc/self/status (RssFile, VmHWM, OS thread count)
 * @param heap     heap, non-heap and thread counts from the MXBeans
 * @param ledger   the ledger's live bytes by category, or null without a ledger
 * @param nmt      NMT summary; null when NMT is off, or in a cheap sample
 * @param map      per-mapping resident sizes; null in a cheap sample
 * @param failures errors of the probes that failed
 */
public record MemorySample(long atNanos, SmapsRollup resident, ProcStatus status, HeapProbe.Snapshot heap,
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
        return -1;
    }

    /** Whether the sample has the per-mapping detail the breakdown needs. */
    public boolean detailed() {
        return map != null;
    }

    /** Takes every probe now; never throws. */
    public static MemorySample take(MemoryLedger ledgerOrNull, boolean withNmt, boolean detailed) {
        long t = System.nanoTime();
        List<String> failures = new java.util.ArrayList<>();
        SmapsRollup resident = null;
        ProcStatus status = null;
        HeapProbe.Snapshot heap = null;
        NativeMemory nmt = null;
        ProcessMap map = null;
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
        try {
            heap = HeapProbe.sample();
        } catch (RuntimeException e) {
            failures.add("heap: " + e.getMessage());
        }
        Map<Category, Long> ledger = ledgerOrNull == null ? null : ledgerOrNull.snapshot();
        if (withNmt) {
            try {
                nmt = NativeMemory.read();
            } catch (RuntimeException e) {
                failures.add("nmt: " + e.getMessage());
            }
        }
        if (detailed) {
            try {
                map = ProcessMap.read(nmt != null);
            } catch (RuntimeException e) {
                failures.add("map: " + e.getMessage());
            }
        }
        return new MemorySample(t, resident, status, heap, ledger, nmt, map, failures);
    }
}
