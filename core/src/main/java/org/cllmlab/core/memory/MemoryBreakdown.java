package org.cllmlab.core.memory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cllmlab.core.results.MemoryKind;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;

/**
 * Builds a run's {@link MemoryReport}: rows that add up <em>exactly</em> to the peak resident size (RSS), each
 * row being that area's contribution to the resident total, and a last {@code unaccounted} row for what the
 * rows do not explain.
 *
 * <h2>How each row is decided</h2>
 * The peak RSS comes from the sampler's peak sample (smaps_rollup). The rows come from the detailed sample at
 * (or nearest) that peak, which has the process map with the resident bytes of every mapping
 * ({@link ProcessMap}) and, when the run has NMT, the NMT summary.
 * <ul>
 *   <li><b>ledger rows</b> ({@code parameters}, {@code activations}, ...; kind {@code used}): the ledger's exact
 *       array bytes. Arrays are zeroed when made, so their pages are touched: they are inside the resident
 *       heap.</li>
 *   <li><b>{@code heap.other}</b> (used): heap used − ledger total: other objects, and garbage not yet
 *       collected. If heap used exceeds the resident heap (space handed out to threads' TLABs but not yet
 *       written), it is counted only up to the resident heap.</li>
 *   <li><b>{@code heap.free-resident}</b> (resident): resident heap − heap used: pages touched earlier that hold
 *       no objects now. Committed heap that was never touched is not resident and is <em>not</em> a row; it is
 *       committed − resident, from {@link MemoryReport#heapCommittedPeakBytes()}. The resident heap is the RSS
 *       of the mappings NMT tags {@code JAVAHEAP} (System.map), or of the mappings inside the heap's address
 *       range from {@code GC.heap_info} (smaps). Without either, heap used stands in for it and the note says
 *       so.</li>
 *   <li><b>{@code jvm.thread-stacks}</b> (resident): RSS of the mappings tagged {@code STACK}. Reserved and
 *       committed stack figures are in the note and in {@link MemoryReport#stackReservedBytes()} /
 *       {@link MemoryReport#stackCommittedBytes()}, never summed. Without System.map the NMT committed stack
 *       figure stands in (on Linux NMT finds it with mincore, so it is close to resident), with kind
 *       {@code committed}.</li>
 *   <li><b>{@code jvm.code}, {@code jvm.gc}, {@code jvm.metaspace}, {@code jvm.class-data-sharing},
 *       {@code jvm.other-mapped}</b> (resident): RSS of the mappings NMT tags CODE; GC and CARDTBL; META and
 *       CLASS; CDS; any other tag. The NMT committed figure is in the note for comparison (GC data is mostly
 *       committed but untouched).</li>
 *   <li><b>{@code jvm.malloc}</b> (committed, as a stand-in): bytes the JVM has malloc'd (NMT's total malloc,
 *       arenas included), which live in untagged anonymous memory (glibc arenas). Malloc'd bytes are normally
 *       written, so committed is a fair stand-in; it is capped at the untagged anonymous RSS.</li>
 *   <li><b>{@code file-backed}</b> (resident): RSS of untagged file mappings: the JVM's and the system's
 *       shared libraries, jars and modules image. Without a map: RssFile from /proc/self/status.</li>
 *   <li><b>{@code unaccounted}</b> (resident): peak RSS − all rows above. It holds untagged anonymous memory
 *       NMT does not explain (malloc overhead and free lists, native libraries' own allocations) and any change
 *       between the peak sample and the map read. It may be negative only if rows overshoot.</li>
 * </ul>
 * Without System.map (JDK 21) but with NMT, the JVM's areas cannot be told apart in smaps; their NMT committed
 * figures stand in (kind {@code committed}), each capped so that together they do not exceed the untagged
 * anonymous RSS, in the order stacks, metaspace, code, malloc, GC, other (most-touched first).
 */
public final class MemoryBreakdown {

    private MemoryBreakdown() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Inputs of a breakdown; every setter is optional except a sample and the peak resident size. */
    public static final class Builder {
        private Long peakResident;
        private Long peakProportional;
        private MemorySample sample;
        private Map<Category, Long> ledger;
        private Long heapUsedPeak;
        private Long heapCommittedPeak;
        private Integer peakThreads;
        private long stackRequested;
        private int workerThreads;
        private boolean virtualWorkers;
        private int spheres;
        private Long hierarchyBytes;
        private long virtualStackBytes;
        private Long setupPeakResident;
        private MemorySample workersAlive;
        private long virtualStackChunks;
        private long datasetBytes;
        private int samples = 1;

        /** Takes the peak RSS, the peak sample, peaks and sample count from a sampler. */
        public Builder fromSampler(MemorySampler sampler) {
            MemorySample peak = sampler.peakSample();
            MemorySample detailed = sampler.peakDetailedSample();
            if (peak == null && detailed == null) {
                throw new IllegalStateException("the sampler has no sample");
            }
            MemorySample basis = detailed != null ? detailed : peak;
            long rss = Math.max(peak == null ? -1 : peak.rssBytes(), basis.rssBytes());
            MemorySampler.Peaks p = sampler.peaks();
            peakResident = rss;
            peakProportional = p.pssBytes < 0 ? null : p.pssBytes;
            sample = basis;
            heapUsedPeak = p.heapUsedBytes < 0 ? null : p.heapUsedBytes;
            heapCommittedPeak = p.heapCommittedBytes < 0 ? null : p.heapCommittedBytes;
            peakThreads = p.liveThreads < 0 ? null : p.liveThreads;
            samples = sampler.samples();
            return this;
        }

        /** Uses one sample as both the peak and the detail (for an explicit {@code sampleNow()}). */
        public Builder fromSample(MemorySample s) {
            sample = s;
            peakResident = s.rssBytes();
            peakProportional = s.resident() == null ? null : s.resident().pssBytes();
            return this;
        }

        public Builder peakResidentBytes(long v) {
            peakResident = v;
            return this;
        }

        public Builder peakProportionalBytes(Long v) {
            peakProportional = v;
            return this;
        }

        public Builder sample(MemorySample s) {
            sample = s;
            return this;
        }

        /** Overrides the sample's ledger figures. */
        public Builder ledger(Map<Category, Long> v) {
            ledger = v;
            return this;
        }

        public Builder heapUsedPeakBytes(long v) {
            heapUsedPeak = v;
            return this;
        }

        public Builder heapCommittedPeakBytes(long v) {
            heapCommittedPeak = v;
            return this;
        }

        public Builder peakThreads(int v) {
            peakThreads = v;
            return this;
        }

        /** Sum of the stack sizes requested for the worker threads (reserved). */
        public Builder stackRequestedBytes(long v) {
            stackRequested = v;
            return this;
        }

        /** Workers × the stack size requested for each (0 for the JVM default or virtual threads). */
        public Builder stackRequested(int workers, long bytesEach) {
            stackRequested = (long) workers * bytesEach;
            return this;
        }

        public Builder workerThreads(int v) {
            workerThreads = v;
            return this;
        }

        public Builder virtualWorkers(boolean v) {
            virtualWorkers = v;
            return this;
        }

        public Builder spheres(int v) {
            spheres = v;
            return this;
        }

        public Builder hierarchyBytes(long v) {
            hierarchyBytes = v;
            return this;
        }

        /**
         * Heap bytes of virtual-thread stack chunks ({@code jdk.internal.vm.StackChunk} objects, from a
         * class histogram taken while the workers were parked). They are split out of {@code heap.other}.
         */
        public Builder virtualStacks(long bytes, long chunks) {
            this.virtualStackBytes = bytes;
            this.virtualStackChunks = chunks;
            return this;
        }

        /** A sample taken while the run's workers were alive: the source of the thread-stack figures. */
        public Builder workersAlive(MemorySample s) {
            this.workersAlive = s;
            return this;
        }

        /** Peak RSS of the set-up phase (dataset built), before the peaks this breakdown describes. */
        public Builder setupPeakResidentBytes(long v) {
            this.setupPeakResident = v < 0 ? null : v;
            return this;
        }

        public Builder datasetBytes(long v) {
            datasetBytes = v;
            return this;
        }

        public Builder samples(int v) {
            samples = v;
            return this;
        }

        public MemoryReport build() {
            if (sample == null || peakResident == null || peakResident < 0) {
                throw new IllegalStateException("a breakdown needs a sample and the peak resident size");
            }
            return new Computation(this).report();
        }
    }

    private static final class Computation {
        private final Builder in;
        private final List<MemoryRow> rows = new ArrayList<>();
        private final List<String> residualNotes = new ArrayList<>();
        private long explained;

        Computation(Builder in) {
            this.in = in;
        }

        /** {@code heap.other}, with virtual-thread stack chunks split out when they were measured. */
        private void heapOther(long bytes, String note) {
            if (in.virtualStackBytes > 0) {
                long stacks = Math.min(in.virtualStackBytes, bytes);
                row("heap.virtual-thread-stacks", "heap", MemoryKind.USED, stacks,
                        in.virtualStackChunks + " stack chunks (jdk.internal.vm.StackChunk), "
                                + mib(in.virtualStackBytes) + ", from a class histogram with the workers parked");
                bytes -= stacks;
                note += " − virtual-thread stacks";
            }
            row("heap.other", "heap", MemoryKind.USED, bytes, note);
        }

        private void row(String name, String group, MemoryKind kind, long bytes, String note) {
            rows.add(new MemoryRow(name, group, kind, bytes, note));
            explained += bytes;
        }

        MemoryReport report() {
            MemorySample s = in.sample;
            ProcessMap map = s.map();
            NativeMemory nmt = s.nmt();
            HeapProbe.Snapshot heap = s.heap();
            Map<Category, Long> ledger = new EnumMap<>(Category.class);
            if (in.ledger != null) {
                ledger.putAll(in.ledger);
            } else if (s.ledger() != null) {
                ledger.putAll(s.ledger());
            }
            boolean systemMap = map != null && map.source() == ProcessMap.Source.SYSTEM_MAP;
            boolean heapTagged = map != null && map.mappings().stream()
                    .anyMatch(m -> ProcessMap.TAG_HEAP.equals(m.tag()));

            // Heap: ledger, other objects, touched-but-free.
            long ledgerTotal = 0;
            for (Map.Entry<Category, Long> e : ledger.entrySet()) {
                if (e.getValue() > 0) {
                    row(e.getKey().id(), "ledger", MemoryKind.USED, e.getValue(),
                            "exact array bytes; zeroed when made, so resident");
                    ledgerTotal += e.getValue();
                }
            }
            long used = heap == null ? ledgerTotal : heap.heapUsedBytes();
            long committed = heap == null ? -1 : heap.heapCommittedBytes();
            if (heapTagged) {
                long heapRes = map.resident(ProcessMap.TAG_HEAP);
                long usedInRam = Math.min(used, heapRes);
                String note = "heap used " + mib(used) + " − ledger " + mib(ledgerTotal);
                if (used > heapRes) {
                    note += "; used exceeds resident heap by " + mib(used - heapRes)
                            + " (TLAB space handed out, not yet written): counted up to the resident heap";
                }
                heapOther(Math.max(0, usedInRam - ledgerTotal), note);
                long free = heapRes - Math.max(used, ledgerTotal);
                if (free > 0) {
                    row("heap.free-resident", "heap", MemoryKind.RESIDENT, free,
                            "resident heap " + mib(heapRes) + " − used: touched pages holding no objects now"
                                    + (committed >= 0 ? "; committed but never touched, not counted: "
                                    + mib(Math.max(0, committed - heapRes)) : ""));
                }
            } else {
                heapOther(Math.max(0, used - ledgerTotal),
                        "heap used − ledger; no heap map, so used stands in for resident heap"
                                + (committed >= 0 ? " (committed " + mib(committed) + " not counted)" : ""));
            }

            // JVM areas and native memory.
            // Stack figures describe the workers, so they come from a sample taken while the workers were
            // alive when there is one (the peak can come before the worker threads start).
            NativeMemory threadNmt = in.workersAlive != null && in.workersAlive.nmt() != null
                    ? in.workersAlive.nmt() : nmt;
            long stackReserved = threadNmt != null && threadNmt.stackReservedBytes() != null
                    ? threadNmt.stackReservedBytes() : -1;
            Long stackCommitted = threadNmt == null ? null : threadNmt.stackCommittedBytes();
            String stackFigures = "NMT reserved " + (stackReserved < 0 ? "n/a" : mib(stackReserved))
                    + ", committed " + (stackCommitted == null ? "n/a" : mib(stackCommitted))
                    + (nmt != null && nmt.threadCount() != null ? ", " + nmt.threadCount() + " threads" : "")
                    + (in.stackRequested > 0 ? "; workers requested " + mib(in.stackRequested) : "");
            if (systemMap) {
                row("jvm.thread-stacks", "jvm", MemoryKind.RESIDENT, map.resident(ProcessMap.TAG_STACK),
                        "RSS of stack mappings (System.map); " + stackFigures);
                mapped(map, nmt, "jvm.code", new String[] {"CODE"}, new String[] {"Code"});
                mapped(map, nmt, "jvm.gc", new String[] {"GC", "CARDTBL"}, new String[] {"GC", "GCCardSet"});
                mapped(map, nmt, "jvm.metaspace", new String[] {"META", "CLASS"}, new String[] {"Metaspace", "Class"});
                mapped(map, nmt, "jvm.class-data-sharing", new String[] {"CDS"}, new String[] {"Shared class space"});
                long other = 0;
                for (Map.Entry<String, Long> e : map.residentByTag().entrySet()) {
                    if (!List.of("JAVAHEAP", "STACK", "CODE", "GC", "CARDTBL", "META", "CLASS", "CDS", "file", "anon")
                            .contains(e.getKey())) {
                        other += e.getValue();
                    }
                }
                if (other > 0) {
                    row("jvm.other-mapped", "jvm", MemoryKind.RESIDENT, other, "RSS of other NMT-tagged mappings");
                }
                long anon = map.untaggedAnonResident();
                if (nmt != null) {
                    long malloc = mallocBytes(nmt);
                    long counted = Math.min(malloc, anon);
                    row("jvm.malloc", "jvm", MemoryKind.COMMITTED, counted,
                            "NMT malloc'd bytes (committed, stand-in for resident) " + mib(malloc)
                                    + (counted < malloc ? ", capped at" : ", within")
                                    + " untagged anonymous RSS " + mib(anon) + mallocTop(nmt));
                    residualNotes.add("untagged anonymous RSS beyond NMT malloc " + mib(anon - counted));
                } else {
                    residualNotes.add("untagged anonymous RSS " + mib(anon));
                }
            } else if (map != null) {
                long anon = map.untaggedAnonResident();
                if (nmt != null) {
                    long budget = anon;
                    budget = standIn("jvm.thread-stacks", stackCommitted == null ? 0 : stackCommitted, budget,
                            "NMT committed stacks (mincore-based, near resident); " + stackFigures);
                    budget = standIn("jvm.metaspace", mmap(nmt, "Metaspace", "Class"), budget, "NMT mmap committed");
                    budget = standIn("jvm.code", mmap(nmt, "Code"), budget, "NMT mmap committed");
                    budget = standIn("jvm.malloc", mallocBytes(nmt), budget, "NMT malloc'd bytes" + mallocTop(nmt));
                    budget = standIn("jvm.gc", mmap(nmt, "GC", "GCCardSet"), budget, "NMT mmap committed");
                    long named = mmap(nmt, "Metaspace", "Class", "Code", "GC", "GCCardSet", "Java Heap",
                            "Shared class space");
                    long otherMmap = 0;
                    for (NativeMemory.Figures f : nmt.categories().values()) {
                        otherMmap += f.mmapCommittedBytes() == null ? 0 : f.mmapCommittedBytes();
                    }
                    budget = standIn("jvm.other-mapped", otherMmap - named, budget, "NMT mmap committed");
                    residualNotes.add("anonymous RSS outside the heap beyond NMT stand-ins " + mib(budget));
                } else {
                    residualNotes.add("anonymous RSS outside the heap (no NMT to split it) " + mib(anon));
                }
            } else if (nmt != null && stackCommitted != null) {
                row("jvm.thread-stacks", "jvm", MemoryKind.COMMITTED, stackCommitted,
                        "no process map: NMT committed stacks stand in (mincore-based, near resident); " + stackFigures);
            }

            // File-backed.
            if (map != null) {
                row("file-backed", "file", MemoryKind.RESIDENT, map.untaggedFileResident(),
                        "RSS of file mappings: shared libraries, modules image, jars"
                                + (s.resident() != null && s.resident().pssFileBytes() != null
                                ? "; PSS_File " + mib(s.resident().pssFileBytes()) : ""));
            } else if (s.status() != null && s.status().rssFileBytes() != null) {
                row("file-backed", "file", MemoryKind.RESIDENT, s.status().rssFileBytes(),
                        "RssFile from /proc/self/status");
            }

            long peak = in.peakResident;
            if (map != null) {
                residualNotes.add("peak RSS − map RSS " + mib(peak - map.rssBytes()));
            }
            long unaccounted = peak - explained;
            rows.add(new MemoryRow("unaccounted", "residual", MemoryKind.RESIDENT, unaccounted,
                    String.join("; ", residualNotes)));

            Map<String, long[]> nmtMap = null;
            if (nmt != null) {
                nmtMap = new LinkedHashMap<>();
                nmtMap.put("Total", new long[] {nmt.totalReservedBytes(), nmt.totalCommittedBytes()});
                for (Map.Entry<String, NativeMemory.Figures> e : nmt.categories().entrySet()) {
                    nmtMap.put(e.getKey(), new long[] {e.getValue().reservedBytes(), e.getValue().committedBytes()});
                }
            }
            Map<String, Long> ledgerIds = new LinkedHashMap<>();
            ledger.forEach((c, v) -> ledgerIds.put(c.id(), v));
            long hierarchy = in.hierarchyBytes != null ? in.hierarchyBytes
                    : ledger.getOrDefault(Category.HIERARCHY, 0L);
            Long stackReservedField = stackReserved >= 0 ? Long.valueOf(stackReserved)
                    : in.stackRequested > 0 ? Long.valueOf(in.stackRequested) : null;
            return new MemoryReport(rows, peak, in.peakProportional, unaccounted, ledgerIds,
                    in.heapUsedPeak != null ? in.heapUsedPeak : used,
                    in.heapCommittedPeak != null ? in.heapCommittedPeak : Math.max(committed, 0),
                    stackReservedField, stackCommitted, in.stackRequested, nmtMap,
                    in.peakThreads != null ? in.peakThreads : heap == null ? 0 : heap.peakThreads(),
                    in.workerThreads, in.virtualWorkers, in.spheres, hierarchy, in.datasetBytes, in.samples,
                    in.setupPeakResident, null);
        }

        private void mapped(ProcessMap map, NativeMemory nmt, String name, String[] tags, String[] nmtCategories) {
            long rss = 0;
            for (String t : tags) {
                rss += map.resident(t);
            }
            String note = "RSS of " + String.join("+", tags) + " mappings (System.map)";
            if (nmt != null) {
                long c = mmap(nmt, nmtCategories);
                note += "; NMT mmap committed " + mib(c);
            }
            row(name, "jvm", MemoryKind.RESIDENT, rss, note);
        }

        private long standIn(String name, long figure, long budget, String note) {
            long counted = Math.max(0, Math.min(figure, budget));
            if (figure > 0) {
                row(name, "jvm", MemoryKind.COMMITTED, counted, note + " " + mib(figure)
                        + " (committed, stand-in for resident" + (counted < figure ? ", capped" : "") + ")");
            }
            return budget - counted;
        }

        private static long mallocBytes(NativeMemory nmt) {
            if (nmt.totalMallocBytes() != null) {
                return nmt.totalMallocBytes();
            }
            long sum = 0;
            for (NativeMemory.Figures f : nmt.categories().values()) {
                sum += f.committedBytes() - (f.mmapCommittedBytes() == null ? 0 : f.mmapCommittedBytes());
            }
            return sum - (nmt.stackCommittedBytes() == null ? 0 : nmt.stackCommittedBytes());
        }

        private static long mmap(NativeMemory nmt, String... categories) {
            long sum = 0;
            for (String c : categories) {
                NativeMemory.Figures f = nmt.category(c);
                if (f != null && f.mmapCommittedBytes() != null) {
                    sum += f.mmapCommittedBytes();
                }
            }
            return sum;
        }

        private static String mallocTop(NativeMemory nmt) {
            List<Map.Entry<String, Long>> parts = new ArrayList<>();
            for (Map.Entry<String, NativeMemory.Figures> e : nmt.categories().entrySet()) {
                NativeMemory.Figures f = e.getValue();
                long m = f.committedBytes() - (f.mmapCommittedBytes() == null ? 0 : f.mmapCommittedBytes());
                if (e.getKey().equals("Thread") && nmt.stackCommittedBytes() != null) {
                    m -= nmt.stackCommittedBytes(); // stacks are mmap'd, printed on their own line
                }
                if (m > 0 && !e.getKey().equals("Java Heap")) {
                    parts.add(Map.entry(e.getKey(), m));
                }
            }
            parts.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            StringBuilder sb = new StringBuilder("; largest: ");
            for (int i = 0; i < Math.min(3, parts.size()); i++) {
                sb.append(i == 0 ? "" : ", ").append(parts.get(i).getKey()).append(' ')
                        .append(mib(parts.get(i).getValue()));
            }
            return parts.isEmpty() ? "" : sb.toString();
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
