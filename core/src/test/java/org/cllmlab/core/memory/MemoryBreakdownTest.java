package org.cllmlab.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.results.MemoryKind;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;
import org.junit.jupiter.api.Test;

class MemoryBreakdownTest {

    private static final long M = 1L << 20;

    private static ProcessMap.Mapping map(long start, long size, long rss, String tag, String file) {
        return new ProcessMap.Mapping(start, start + size, "rw-p", rss, tag, file);
    }

    /** A System.map with: heap 100 MiB resident of 400 committed; 63 stacks of 8 MiB; JVM areas; files. */
    private static ProcessMap systemMap() {
        List<ProcessMap.Mapping> l = new java.util.ArrayList<>();
        l.add(map(0x1000_0000L, 400 * M, 100 * M, "JAVAHEAP", null));
        for (int i = 0; i < 63; i++) {
            l.add(map(0x7000_0000_0000L + i * 9 * M, 8 * M, 64 * 1024, "STACK", null));
        }
        l.add(map(0x7100_0000_0000L, 8 * M, 3 * M, "CODE", null));
        l.add(map(0x7200_0000_0000L, 40 * M, 1 * M, "GC", null));
        l.add(map(0x7300_0000_0000L, 10 * M, 4 * M, "META", null));
        l.add(map(0x7400_0000_0000L, 14 * M, 13 * M, "CDS", "/jdk/lib/server/classes.jsa"));
        l.add(map(0x7500_0000_0000L, 64 * M, 20 * M, ProcessMap.UNTAGGED, null)); // malloc arenas
        l.add(map(0x7600_0000_0000L, 30 * M, 25 * M, ProcessMap.UNTAGGED, "/jdk/lib/modules"));
        return new ProcessMap(ProcessMap.Source.SYSTEM_MAP, l);
    }

    private static NativeMemory nmt(long mallocBytes) {
        Map<String, NativeMemory.Figures> c = new LinkedHashMap<>();
        c.put("Java Heap", new NativeMemory.Figures(6000 * M, 400 * M, null, 400 * M));
        c.put("Thread", new NativeMemory.Figures(520 * M, 10 * M, 1 * M, null));
        c.put("Code", new NativeMemory.Figures(240 * M, 9 * M, 1 * M, 8 * M));
        c.put("GC", new NativeMemory.Figures(150 * M, 45 * M, 5 * M, 40 * M));
        c.put("Metaspace", new NativeMemory.Figures(64 * M, 10 * M, 0L, 10 * M));
        return new NativeMemory(7000 * M, 480 * M, mallocBytes, c, 504 * M + 16 * M, 9 * M, 70);
    }

    private static HeapProbe.Snapshot heap(long used, long committed) {
        return new HeapProbe.Snapshot(used, committed, 6000 * M, 20 * M, 25 * M, Map.of(), Map.of(), 70, 71, 8);
    }

    private static MemorySample sample(ProcessMap map, NativeMemory nmt, HeapProbe.Snapshot heap,
                                       Map<Category, Long> ledger) {
        return new MemorySample(0, -1, null, null, heap, ledger, nmt, map, List.of());
    }

    private static long sum(MemoryReport r) {
        return r.breakdown().stream().mapToLong(MemoryRow::bytes).sum();
    }

    private static MemoryRow row(MemoryReport r, String name) {
        return r.breakdown().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rowsAddUpExactlyToPeakResidentAndUseResidentFigures() {
        ProcessMap map = systemMap();
        long peak = map.rssBytes() + 2 * M; // the peak sample saw a little more than the map
        MemoryReport r = MemoryBreakdown.builder()
                .sample(sample(map, nmt(12 * M), heap(90 * M, 400 * M),
                        Map.of(Category.PARAMETERS, 40 * M, Category.ACTIVATIONS, 30 * M)))
                .peakResidentBytes(peak).stackRequested(63, 8 * M).workerThreads(63).build();

        assertThat(sum(r)).isEqualTo(r.peakResidentBytes()).isEqualTo(peak);
        assertThat(row(r, "parameters").bytes()).isEqualTo(40 * M);
        assertThat(row(r, "parameters").kind()).isEqualTo(MemoryKind.USED);
        assertThat(row(r, "heap.other").bytes()).isEqualTo(20 * M);
        assertThat(row(r, "heap.free-resident").bytes()).isEqualTo(10 * M); // 100 resident − 90 used
        assertThat(row(r, "jvm.thread-stacks").bytes()).isEqualTo(63 * 64 * 1024L);
        assertThat(row(r, "jvm.thread-stacks").kind()).isEqualTo(MemoryKind.RESIDENT);
        assertThat(row(r, "jvm.gc").bytes()).isEqualTo(1 * M); // resident, not the 40 MiB committed
        assertThat(row(r, "jvm.malloc").bytes()).isEqualTo(12 * M);
        assertThat(row(r, "jvm.malloc").kind()).isEqualTo(MemoryKind.COMMITTED);
        assertThat(row(r, "jvm.malloc").note()).contains("stand-in");
        assertThat(row(r, "file-backed").bytes()).isEqualTo(25 * M);
        assertThat(row(r, "unaccounted").bytes()).isEqualTo(8 * M + 2 * M); // arena slack + timing
        assertThat(r.unaccountedBytes()).isEqualTo(10 * M);
        // the last row is the residual
        assertThat(r.breakdown().get(r.breakdown().size() - 1).name()).isEqualTo("unaccounted");
    }

    @Test
    void reservedAndCommittedFiguresStayOutOfTheSum() {
        ProcessMap map = systemMap();
        MemoryReport r = MemoryBreakdown.builder().sample(sample(map, nmt(12 * M), heap(90 * M, 400 * M), Map.of()))
                .peakResidentBytes(map.rssBytes()).stackRequested(63, 8 * M).build();
        assertThat(r.stackReservedBytes()).isEqualTo(520 * M);
        assertThat(r.stackCommittedBytes()).isEqualTo(9 * M);
        assertThat(r.stackRequestedBytes()).isEqualTo(504 * M);
        assertThat(r.breakdown()).noneMatch(x -> x.kind() == MemoryKind.RESERVED);
        assertThat(r.breakdown()).allMatch(x -> x.bytes() < 400 * M); // no committed heap row
        assertThat(r.nmt()).containsKeys("Total", "Java Heap", "Thread");
        assertThat(r.nmt().get("Thread")).containsExactly(520 * M, 10 * M);
        assertThat(sum(r)).isEqualTo(r.peakResidentBytes());
    }

    @Test
    void usedBeyondResidentHeapIsCappedAndExplained() {
        ProcessMap map = systemMap();
        MemoryReport r = MemoryBreakdown.builder()
                .sample(sample(map, nmt(12 * M), heap(110 * M, 400 * M), Map.of(Category.DATASET, 50 * M)))
                .peakResidentBytes(map.rssBytes()).build();
        assertThat(row(r, "heap.other").bytes()).isEqualTo(50 * M); // 100 resident − 50 ledger
        assertThat(row(r, "heap.other").note()).contains("exceeds resident heap");
        assertThat(r.breakdown()).noneMatch(x -> x.name().equals("heap.free-resident"));
        assertThat(sum(r)).isEqualTo(r.peakResidentBytes());
    }

    @Test
    void mallocIsCappedAtUntaggedAnonymousResident() {
        ProcessMap map = systemMap();
        MemoryReport r = MemoryBreakdown.builder().sample(sample(map, nmt(30 * M), heap(90 * M, 400 * M), Map.of()))
                .peakResidentBytes(map.rssBytes()).build();
        assertThat(row(r, "jvm.malloc").bytes()).isEqualTo(20 * M);
        assertThat(row(r, "jvm.malloc").note()).contains("capped");
        assertThat(r.unaccountedBytes()).isZero();
    }

    @Test
    void smapsFallbackCapsStandInsByTheAnonymousResident() {
        List<ProcessMap.Mapping> l = List.of(
                map(0x1000_0000L, 400 * M, 100 * M, "JAVAHEAP", null),
                map(0x7000_0000_0000L, 600 * M, 30 * M, ProcessMap.UNTAGGED, null),
                map(0x7600_0000_0000L, 30 * M, 25 * M, ProcessMap.UNTAGGED, "/jdk/lib/modules"));
        ProcessMap map = new ProcessMap(ProcessMap.Source.SMAPS, l);
        MemoryReport r = MemoryBreakdown.builder().sample(sample(map, nmt(12 * M), heap(90 * M, 400 * M), Map.of()))
                .peakResidentBytes(map.rssBytes()).build();
        assertThat(row(r, "jvm.thread-stacks").kind()).isEqualTo(MemoryKind.COMMITTED);
        assertThat(row(r, "jvm.thread-stacks").bytes()).isEqualTo(9 * M);
        assertThat(row(r, "jvm.metaspace").bytes()).isEqualTo(10 * M);
        assertThat(row(r, "jvm.code").bytes()).isEqualTo(8 * M);
        assertThat(row(r, "jvm.malloc").bytes()).isEqualTo(3 * M); // 30 − 9 − 10 − 8 left
        assertThat(row(r, "jvm.gc").bytes()).isZero();
        long standIns = r.breakdown().stream().filter(x -> x.group().equals("jvm")).mapToLong(MemoryRow::bytes).sum();
        assertThat(standIns).isEqualTo(30 * M);
        assertThat(sum(r)).isEqualTo(r.peakResidentBytes());
    }

    @Test
    void withoutMapOrNmtEverythingElseIsUnaccounted() {
        ProcStatus status = new ProcStatus(150 * M, 150 * M, 120 * M, 30 * M, 0L, 8000 * M, 20);
        MemorySample s = new MemorySample(0, -1, null, status, heap(90 * M, 400 * M), Map.of(Category.PARAMETERS, 40 * M),
                null, null, List.of("map: boom"));
        MemoryReport r = MemoryBreakdown.builder().fromSample(s).stackRequested(63, 8 * M).build();
        assertThat(r.peakResidentBytes()).isEqualTo(150 * M);
        assertThat(row(r, "heap.other").bytes()).isEqualTo(50 * M);
        assertThat(row(r, "heap.other").note()).contains("stands in");
        assertThat(row(r, "file-backed").bytes()).isEqualTo(30 * M);
        assertThat(r.unaccountedBytes()).isEqualTo(30 * M);
        assertThat(r.stackReservedBytes()).isEqualTo(504 * M); // requested sizes when NMT is off
        assertThat(r.stackCommittedBytes()).isNull();
        assertThat(r.nmt()).isNull();
        assertThat(sum(r)).isEqualTo(r.peakResidentBytes());
    }

    @Test
    void textTableShowsKindsPercentagesAndUnsummedFigures() {
        ProcessMap map = systemMap();
        MemoryReport r = MemoryBreakdown.builder().sample(sample(map, nmt(12 * M), heap(90 * M, 400 * M),
                Map.of(Category.PARAMETERS, 40 * M))).peakResidentBytes(map.rssBytes()).stackRequested(63, 8 * M)
                .workerThreads(63).datasetBytes(10 * M).build();
        String text = MemoryReports.toText(r);
        assertThat(text).contains("parameters", "used", "40.0", "jvm.thread-stacks", "resident", "unaccounted",
                "peak resident (RSS)", "100.0%", "thread stacks reserved, reserved", "520.0 MiB",
                "thread stacks committed (NMT), committed", "9.0 MiB", "resident / dataset", "NMT (not summed)");
    }
}
