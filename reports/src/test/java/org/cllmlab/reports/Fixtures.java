package org.cllmlab.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.HeapProbe;
import org.cllmlab.core.memory.MemoryBreakdown;
import org.cllmlab.core.memory.MemorySample;
import org.cllmlab.core.memory.NativeMemory;
import org.cllmlab.core.memory.ProcessMap;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.results.Training;

/**
 * Builds the fixture result directory: the phases suite (6 phases × 8 KiB and 24 MiB, two repetitions on
 * the large dataset, one failed group and one failed repetition), a scaling sweep (3 strategies × workers
 * 1, 2, 4, 8, two repetitions) on a 2-core machine, a JMH file, two {@code ./lab efficiency} files (one
 * written before the issue probe existed), the suite runner's own files and a foreign suite spec. Figures are
 * shaped like a small-preset run on 2 cores: stacks reserved fall by 455 MiB in phase 1 while resident
 * barely moves, and lock removal is capped near 2×.
 */
final class Fixtures {

    static final Path DIR = Path.of("src/test/resources/fixtures/lab-results");
    static final long SMALL = 8 * 1024;
    static final long LARGE = 24L * 1024 * 1024;
    static final long MIB = 1024 * 1024;

    private Fixtures() {
    }

    record Phase(String label, String strategy, String threads, String hierarchy, String caches, long stackMiB,
                 int spheres, long hierarchyBytes, long activationMiB, long gradientMiB, double tokensPerSecond,
                 double serialization) {
    }

    static final List<Phase> PHASES = List.of(
            new Phase("baseline", "lock.global", "platform-8m", "eager", "oversized", 8, 157, 2_470_000, 64, 4, 1510, 0.93),
            new Phase("phase1", "lock.global", "platform-1m", "eager", "oversized", 1, 157, 2_470_000, 64, 4, 1495, 0.93),
            new Phase("phase2", "lock.global", "platform-1m", "lazy", "oversized", 1, 13, 204_000, 64, 4, 1502, 0.93),
            new Phase("phase3", "lock.global", "platform-1m", "lazy", "right-sized", 1, 13, 204_000, 9, 4, 1540, 0.92),
            new Phase("phase4", "lockfree.thread-local", "platform-1m", "lazy", "right-sized", 1, 13, 204_000, 9, 4 * 63, 2890, 0.07),
            new Phase("beyond", "slots.per-core", "virtual", "lazy", "right-sized", 0, 13, 204_000, 9, 4 * 2, 2950, 0.05));

    static void writeAll(Path dir) throws IOException {
        int minute = 0;
        for (long dataset : List.of(SMALL, LARGE)) {
            for (Phase p : PHASES) {
                int reps = dataset == LARGE ? 2 : 1;
                if (dataset == LARGE && p.label().equals("phase2")) {
                    reps = 3;
                }
                for (int rep = 1; rep <= reps; rep++) {
                    String id = p.label() + "-" + (dataset == SMALL ? "8k" : "24m") + "-r" + rep;
                    RunConfig cfg = config(p.label(), dataset, p.strategy(), p.threads(), p.hierarchy(), p.caches(), 63, rep);
                    Provenance prov = provenance(minute++, rep);
                    RunResult r;
                    if (dataset == SMALL && p.label().equals("beyond")) {
                        r = failed(id, "phases", cfg, prov, "worker 17 threw java.lang.OutOfMemoryError: Java heap space\n\tat org.cllmlab...");
                    } else if (dataset == LARGE && p.label().equals("phase2") && rep == 3) {
                        r = failed(id, "phases", cfg, prov, "killed after the run timeout of 600 s");
                    } else {
                        r = phaseRun(id, cfg, prov, p, dataset, rep);
                    }
                    write(dir.resolve("phases").resolve(id + ".json"), r);
                }
            }
        }
        Map<String, double[]> tps = new LinkedHashMap<>();
        tps.put("lock.global", new double[] {1000, 1010, 990, 975});
        tps.put("lock.per-layer", new double[] {1000, 1620, 1710, 1660});
        tps.put("lockfree.thread-local", new double[] {1000, 1930, 1950, 1900});
        Map<String, double[]> ser = Map.of("lock.global", new double[] {0, 0.48, 0.74, 0.87},
                "lock.per-layer", new double[] {0, 0.2, 0.35, 0.42},
                "lockfree.thread-local", new double[] {0, 0.03, 0.05, 0.06});
        int[] workers = {1, 2, 4, 8};
        for (var e : tps.entrySet()) {
            for (int i = 0; i < workers.length; i++) {
                for (int rep = 1; rep <= 2; rep++) {
                    int w = workers[i];
                    String id = "scaling-" + e.getKey() + "-w" + w + "-r" + rep;
                    RunConfig cfg = config("scaling", SMALL, e.getKey(), "platform-1m", "lazy", "right-sized", w, rep);
                    double t = e.getValue()[i] * (rep == 1 ? 0.985 : 1.015);
                    double s = ser.get(e.getKey())[i];
                    Training tr = training(t, rep);
                    MemoryReport mem = memory(SMALL, 1, 1 + w / 8, 20_000, 2, 4L * Math.max(1, e.getKey().startsWith("lockfree") ? w : 1), w, rep);
                    write(dir.resolve("scaling").resolve(id + ".json"), new RunResult(RunResult.SCHEMA, id, "scaling",
                            RunResult.OK, null, cfg, provenance(minute++, rep), tr, mem, contention(w, tr.wallSeconds(), s, e.getKey()), null));
                }
            }
        }
        Files.createDirectories(dir.resolve("jmh"));
        Files.writeString(dir.resolve("jmh").resolve("jmh-kernels.json"), JMH, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("bench"));
        Files.writeString(dir.resolve("bench").resolve("efficiency-20261127-073956.json"), EFFICIENCY_BEFORE_PROBE,
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("bench").resolve("efficiency-20261127-075201.json"), EFFICIENCY, StandardCharsets.UTF_8);
        // the suite runner's own files, which a report skips without listing them
        Files.writeString(dir.resolve("phases").resolve("suite.json"), "{\"name\": \"phases\", \"runs\": []}\n",
                StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("phases").resolve("requests"));
        Files.writeString(dir.resolve("phases").resolve("requests").resolve("baseline-8k-r1.json"),
                "{\"runId\": \"baseline-8k-r1\", \"suite\": \"phases\", \"repetition\": 1, \"spec\": {}}\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("suite-spec.json"), """
                {
                  "suite": "phases",
                  "preset": "small",
                  "datasets": ["8k", "24m"],
                  "repetitions": 2
                }
                """, StandardCharsets.UTF_8);
    }

    /** Like Results.write, with map entries sorted so regenerated fixtures do not churn (Map.copyOf order varies per JVM). */
    static void write(Path file, RunResult r) throws IOException {
        Results.writeAtomically(file, Results.mapper().copy()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(r));
    }

    static RunConfig config(String label, long dataset, String strategy, String threads, String hierarchy, String caches,
                            int workers, int rep) {
        return new RunConfig(label, role(label), "small", 128, 4, 4, 512, 64, 16, 812, "embedded", dataset, "word",
                strategy, threads, hierarchy, caches, workers, "global", 20, 3, rep, 42 + rep,
                List.of("-Xss" + (threads.equals("platform-8m") ? "8m" : "1m"), "-XX:NativeMemoryTracking=summary"),
                3, 0, 0);
    }

    /** As {@link #config}, pinned to {@code cpus} CPUs (0: all). */
    static RunConfig pinned(RunConfig c, int cpus) {
        return schedule(c, c.steps(), c.warmup(), c.warmupMax(), c.measureSeconds(), cpus);
    }

    /** As {@code c}, a single cold step: no warm-up, one step, no time (a suite's memory-only run). */
    static RunConfig coldStep(RunConfig c) {
        return schedule(c, 1, 0, 0, 0, c.cpus());
    }

    private static RunConfig schedule(RunConfig c, int steps, int warmup, int warmupMax, double measureSeconds, int cpus) {
        return new RunConfig(c.label(), c.role(), c.preset(), c.dModel(), c.layers(), c.heads(), c.dFf(), c.seq(),
                c.batch(), c.vocab(), c.corpus(), c.datasetBytes(), c.tokenizer(), c.strategy(), c.threads(), c.hierarchy(),
                c.caches(), c.workers(), c.batchMode(), steps, warmup, c.repetition(), c.seed(), c.jvmOptions(), warmupMax,
                measureSeconds, cpus);
    }

    /** The phases fixtures' labels are their roles; other fixtures have none. */
    static org.cllmlab.core.results.Phase role(String label) {
        for (org.cllmlab.core.results.Phase p : org.cllmlab.core.results.Phase.values()) {
            if (p.id().equals(label)) {
                return p;
            }
        }
        return null;
    }

    static Provenance provenance(int minute, int rep) {
        return provenance(minute, rep, 2);
    }

    static Provenance provenance(int minute, int rep, int cores) {
        // as a forked run's: the runner's process id differs between the suite's invocations (a resumed suite)
        List<String> flags = List.of("-Xmx2g", "-XX:NativeMemoryTracking=summary", "--add-modules=jdk.incubator.vector",
                "-Dcllmlab.commit=6ed957c", "-Dcllmlab.parentPid=" + (41_207 + 1_000 * (minute / 16)));
        return new Provenance("6ed957c", "25+36-LTS", "Eclipse Adoptium", flags,
                cores, 8L * 1024 * MIB, "Linux 6.1.0-28-amd64 amd64",
                String.format(java.util.Locale.ROOT, "2025-03-14T09:%02d:%02dZ", minute / 2, (minute % 2) * 30), 42 + rep, "scalar",
                "lab-1", "AMD EPYC 9B14", cores, null, List.of());
    }

    static RunResult failed(String id, String suite, RunConfig cfg, Provenance prov, String why) {
        return new RunResult(RunResult.SCHEMA, id, suite, RunResult.FAILED, why, cfg, prov, null, null, null, null);
    }

    static Training training(double tokensPerSecond, int rep) {
        long tokensPerStep = 16 * 64;
        double wall = 20.0 * tokensPerStep / tokensPerSecond;
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            losses.add(Math.round((6.70 - 2.2 * (1 - Math.exp(-i / 8.0)) + 0.01 * rep) * 1e4) / 1e4);
        }
        List<Double> steps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            steps.add(Math.round(wall / 20 * 1e6) / 1e6);
        }
        return new Training(20, 3, tokensPerStep, wall, wall * 1.9, tokensPerSecond, losses, List.of(5.9, 4.8),
                List.of(10, 20), steps, true);
    }

    /** A run's memory; stacks in MiB per thread (0 = virtual), ledger figures in MiB unless named bytes. */
    static MemoryReport memory(long dataset, long stackMiB, int threadsExtra, long hierarchyBytes, long activationMiB,
                               long gradientMiB, int workers, int rep) {
        return memory(dataset, stackMiB, threadsExtra, hierarchyBytes, activationMiB, gradientMiB, workers, rep, false);
    }

    /**
     * A run's memory as the real breakdown builder makes it, from a System.map process map (JDK 22+ with
     * NMT) shaped like a small-preset run: the ledger, the rest of the heap, 8 MiB or 1 MiB platform stacks
     * (or virtual workers' stack chunks on the heap), the JVM's areas, malloc arenas and file mappings.
     * {@code overcommitted}: the peak sample saw less than the map explains, so the residual is negative.
     */
    static MemoryReport memory(long dataset, long stackMiB, int threadsExtra, long hierarchyBytes, long activationMiB,
                               long gradientMiB, int workers, int rep, boolean overcommitted) {
        Map<Category, Long> ledger = new EnumMap<>(Category.class);
        ledger.put(Category.PARAMETERS, 4 * MIB);
        ledger.put(Category.GRADIENTS, gradientMiB * MIB);
        ledger.put(Category.OPTIMIZER_STATE, 8 * MIB);
        ledger.put(Category.ACTIVATIONS, activationMiB * MIB);
        ledger.put(Category.DATASET, dataset * 6);
        ledger.put(Category.BATCHES, 3 * MIB / 2);
        ledger.put(Category.WORKSPACE, 2 * MIB);
        ledger.put(Category.HIERARCHY, hierarchyBytes);
        long ledgerSum = ledger.values().stream().mapToLong(Long::longValue).sum();
        boolean virtual = stackMiB == 0;
        int platformThreads = virtual ? 22 + threadsExtra : workers + 2 + threadsExtra + 18;
        long stackEach = (virtual ? 1 : stackMiB) * MIB;
        // 8 MiB stacks leave a few more pages resident (guard pages, deeper first touch) than 1 MiB ones
        long stackResidentEach = 80 * 1024L + (stackMiB == 8 ? 56 * 1024L : 0);
        long used = ledgerSum + 45 * MIB + ledgerSum / 5;
        long heapResident = used + 25 * MIB + ledgerSum / 10;
        long heapCommitted = heapResident + 40 * MIB;
        long gc = 38 * MIB + ledgerSum / 20;
        long malloc = 22 * MIB;
        long arenas = malloc + 8 * MIB + rep * MIB;

        List<ProcessMap.Mapping> maps = new ArrayList<>();
        long at = 0x1000_0000L;
        maps.add(new ProcessMap.Mapping(at, at + 2048 * MIB, "rw-p", heapResident, ProcessMap.TAG_HEAP, null));
        at = 0x7000_0000_0000L;
        for (int t = 0; t < platformThreads; t++, at += stackEach + 4096) {
            maps.add(new ProcessMap.Mapping(at, at + stackEach, "rw-p", stackResidentEach, ProcessMap.TAG_STACK, null));
        }
        at = 0x7100_0000_0000L;
        for (Object[] m : new Object[][] {{"CODE", 240 * MIB, 14 * MIB, null}, {"GC", gc + 64 * MIB, gc, null},
                {"CARDTBL", 8 * MIB, 2 * MIB, null}, {"META", 64 * MIB, 10 * MIB, null}, {"CLASS", 16 * MIB, MIB, null},
                {"CDS", 16 * MIB, 13 * MIB, "/usr/lib/jvm/jdk/lib/server/classes.jsa"}, {"INTERN", 2 * MIB, MIB, null},
                {ProcessMap.UNTAGGED, 128 * MIB, arenas, null},
                {ProcessMap.UNTAGGED, 64 * MIB, 31 * MIB, "/usr/lib/jvm/jdk/lib/modules"}}) {
            long size = (Long) m[1];
            maps.add(new ProcessMap.Mapping(at, at + size, "rw-p", (Long) m[2], (String) m[0], (String) m[3]));
            at += size + 4096;
        }
        ProcessMap map = new ProcessMap(ProcessMap.Source.SYSTEM_MAP, maps);

        long stackReserved = platformThreads * stackEach;
        long stackCommitted = platformThreads * 80 * 1024L;
        Map<String, NativeMemory.Figures> nmt = new LinkedHashMap<>();
        nmt.put("Java Heap", new NativeMemory.Figures(2048 * MIB, heapCommitted, null, heapCommitted));
        nmt.put("Thread", new NativeMemory.Figures(stackReserved + MIB, stackCommitted + MIB, MIB, null));
        nmt.put("Code", new NativeMemory.Figures(240 * MIB, 15 * MIB, MIB, 14 * MIB));
        nmt.put("GC", new NativeMemory.Figures(gc + 72 * MIB, gc + 16 * MIB, 6 * MIB, gc + 10 * MIB));
        nmt.put("Metaspace", new NativeMemory.Figures(64 * MIB, 11 * MIB, 0L, 11 * MIB));
        long nmtReserved = nmt.values().stream().mapToLong(NativeMemory.Figures::reservedBytes).sum();
        long nmtCommitted = nmt.values().stream().mapToLong(NativeMemory.Figures::committedBytes).sum();
        NativeMemory nativeMemory = new NativeMemory(nmtReserved, nmtCommitted, malloc, nmt, stackReserved, stackCommitted,
                platformThreads);
        HeapProbe.Snapshot heap = new HeapProbe.Snapshot(used, heapCommitted, 2048 * MIB, 30 * MIB, 35 * MIB, Map.of(),
                Map.of(), platformThreads, platformThreads, 20);
        MemorySample sample = new MemorySample(0, -1, null, null, heap, ledger, nativeMemory, map, List.of());

        long explained = map.rssBytes() - (arenas - malloc);
        long peak = overcommitted ? explained - 12 * MIB : map.rssBytes() + 2 * MIB;
        MemoryBreakdown.Builder b = MemoryBreakdown.builder().sample(sample).peakResidentBytes(peak)
                .peakProportionalBytes(peak - 9 * MIB).heapUsedPeakBytes(used).heapCommittedPeakBytes(heapCommitted)
                .peakThreads(platformThreads).stackRequested(workers, stackMiB * MIB).workerThreads(workers)
                .virtualWorkers(virtual).spheres(hierarchyBytes > 1_000_000 ? 157 : 13).hierarchyBytes(hierarchyBytes)
                .datasetBytes(dataset).samples(40);
        if (virtual) {
            b.virtualStacks(workers * 12 * 1024L, workers);
        }
        MemoryReport peakReport = b.build();
        return peakReport.withCollected(collected(peakReport, rep));
    }

    /**
     * What a full collection at the peak leaves: the same rows with the GC's slack (part of heap.other, a little
     * more on every repetition) taken out, as the real runs record it.
     */
    static MemoryReport.Collected collected(MemoryReport peak, int rep) {
        long slack = 20 * MIB + 2L * rep * MIB;
        List<MemoryRow> rows = new ArrayList<>();
        long total = 0;
        for (MemoryRow row : peak.breakdown()) {
            long bytes = row.name().equals("heap.other") ? Math.max(0, row.bytes() - slack) : row.bytes();
            rows.add(new MemoryRow(row.name(), row.group(), row.kind(), bytes, row.note()));
            total += bytes;
        }
        return new MemoryReport.Collected(org.cllmlab.core.memory.FullCollection.METHOD, total,
                peak.heapUsedPeakBytes() - slack, peak.heapCommittedPeakBytes() / 2, true, rows);
    }

    static RunResult phaseRun(String id, RunConfig cfg, Provenance prov, Phase p, long dataset, int rep) {
        double jitter = rep == 1 ? 1.0 : 1.018;
        Training tr = training(p.tokensPerSecond() * jitter * (dataset == LARGE ? 0.97 : 1.0), rep);
        MemoryReport mem = memory(dataset, p.stackMiB(), 0, p.hierarchyBytes(), p.activationMiB(), p.gradientMiB(), 63, rep,
                dataset == SMALL && p.label().equals("phase4"));
        return new RunResult(RunResult.SCHEMA, id, "phases", RunResult.OK, null, cfg, prov, tr, mem,
                contention(63, tr.wallSeconds(), p.serialization(), p.strategy()), null);
    }

    static Contention contention(int w, double wallSeconds, double serialization, String strategy) {
        long workerWall = (long) (w * wallSeconds * 1e9);
        boolean locked = strategy.startsWith("lock.");
        long hold = locked ? (long) (wallSeconds * 0.9e9) : 0;
        long wait = locked ? (long) (workerWall * serialization * 0.9) : 0;
        long barrier = (long) (workerWall * serialization * (locked ? 0.1 : 0.8));
        long reduction = locked ? (long) (0.02e9 * wallSeconds) : (long) (0.05e9 * wallSeconds * Math.log(w + 1));
        long optimizer = (long) (0.03e9 * wallSeconds);
        return new Contention(w, workerWall, workerWall - wait - barrier, hold, wait, barrier, reduction, optimizer,
                strategy.equals("lock.global") ? 0L : null, wait + barrier, serialization, List.of(), List.of(), 20, null);
    }

    static final String JMH = """
            [
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.cllmlab.experiments.bench.KernelBench.matmul",
                    "mode" : "thrpt",
                    "threads" : 1,
                    "forks" : 2,
                    "jvm" : "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java",
                    "jvmArgs" : [ "-Xmx2g" ],
                    "jdkVersion" : "25",
                    "vmName" : "OpenJDK 64-Bit Server VM",
                    "vmVersion" : "25+36-LTS",
                    "warmupIterations" : 3,
                    "warmupTime" : "1 s",
                    "warmupBatchSize" : 1,
                    "measurementIterations" : 5,
                    "measurementTime" : "1 s",
                    "measurementBatchSize" : 1,
                    "params" : { "kernel" : "scalar", "size" : "128" },
                    "primaryMetric" : {
                        "score" : 1843.2291,
                        "scoreError" : 21.4476,
                        "scoreConfidence" : [ 1821.7815, 1864.6767 ],
                        "scorePercentiles" : { "0.0" : 1812.0, "100.0" : 1871.3 },
                        "scoreUnit" : "ops/s",
                        "rawData" : [ [ 1830.1, 1851.2, 1812.0, 1844.7, 1860.3 ], [ 1871.3, 1825.5, 1839.9, 1848.0, 1849.3 ] ]
                    },
                    "secondaryMetrics" : { }
                },
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.cllmlab.experiments.bench.KernelBench.matmul",
                    "mode" : "thrpt",
                    "threads" : 1,
                    "forks" : 2,
                    "params" : { "kernel" : "vector", "size" : "128" },
                    "primaryMetric" : {
                        "score" : 5120.8812,
                        "scoreError" : 88.1204,
                        "scoreUnit" : "ops/s",
                        "rawData" : [ [ 5100.2, 5190.4 ], [ 5080.3, 5112.6 ] ]
                    },
                    "secondaryMetrics" : { }
                },
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.cllmlab.experiments.bench.StepBench.step",
                    "mode" : "avgt",
                    "threads" : 1,
                    "forks" : 1,
                    "params" : { "strategy" : "lock.global", "workers" : "8" },
                    "primaryMetric" : {
                        "score" : 41.2034,
                        "scoreError" : "NaN",
                        "scoreUnit" : "ms/op",
                        "rawData" : [ [ 41.2034 ] ]
                    },
                    "secondaryMetrics" : { }
                },
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.cllmlab.experiments.bench.StepBench.step",
                    "mode" : "avgt",
                    "threads" : 1,
                    "forks" : 1,
                    "params" : { "strategy" : "lockfree.thread-local", "workers" : "8" },
                    "primaryMetric" : {
                        "score" : 22.7911,
                        "scoreError" : 1.0375,
                        "scoreUnit" : "ms/op",
                        "rawData" : [ [ 22.3, 23.1, 22.9 ] ]
                    },
                    "secondaryMetrics" : { }
                }
            ]
            """;

    /** A real {@code ./lab efficiency} file, trimmed to two kernels × two products. */
    static final String EFFICIENCY = """
            {
              "provenance" : {
                "gitCommit" : "73494b2af29ee0b3f4f3ccd300ba54c45298c8a5-dirty",
                "javaVersion" : "25.0.3+9-LTS",
                "javaVendor" : "Eclipse Adoptium",
                "jvmFlags" : [ "--sun-misc-unsafe-memory-access=allow", "--add-modules=jdk.incubator.vector", "-XX:NativeMemoryTracking=summary", "-XX:+UseG1GC", "-Dcllmlab.launcher=lab", "-Dcllmlab.javaHome=/usr/lib/jvm/temurin-25-jdk-amd64", "-Dcllmlab.root=/work/main" ],
                "cores" : 2,
                "memoryBytes" : 25276063744,
                "os" : "Linux 6.18.44-fc-v782 amd64",
                "startedAt" : "2026-11-27T07:52:01.500354868Z",
                "seed" : 1,
                "kernels" : "blocked,vector"
              },
              "result" : {
                "rounds" : 11,
                "sliceMillis" : 150,
                "peakGflops" : {
                  "median" : 90.20908974105068,
                  "min" : 65.85968281900234,
                  "max" : 96.35320740394368
                },
                "twoCoreCeiling" : {
                  "median" : 2.0116641020721455,
                  "min" : 1.0094191783280946,
                  "max" : 2.0807342050996214
                },
                "issueProbe" : {
                  "median" : 0.7299995455670707,
                  "min" : 0.579949076266387,
                  "max" : 1.0
                },
                "products" : [ {
                  "kernel" : "blocked",
                  "product" : "linearForward",
                  "description" : "x·Wᵀ (NT) 128×1024×256",
                  "gflops" : {
                    "median" : 21.702510090212147,
                    "min" : 18.82025882580488,
                    "max" : 32.658207572876854
                  },
                  "shareOfPeak" : {
                    "median" : 0.24777671126214645,
                    "min" : 0.23459397460211698,
                    "max" : 0.3471679623304578
                  },
                  "quietRounds" : 3,
                  "quietShareOfPeak" : {
                    "median" : 0.3464386785568889,
                    "min" : 0.3424425108190288,
                    "max" : 0.3471679623304578
                  }
                }, {
                  "kernel" : "blocked",
                  "product" : "attentionValues",
                  "description" : "P·v (NN) 128×32×128",
                  "gflops" : {
                    "median" : 8.009896033695062,
                    "min" : 6.88743171071959,
                    "max" : 12.100931641210083
                  },
                  "shareOfPeak" : {
                    "median" : 0.08896132054147023,
                    "min" : 0.08000205309805841,
                    "max" : 0.13103086425636457
                  },
                  "quietRounds" : 1,
                  "quietShareOfPeak" : {
                    "median" : 0.13103086425636457,
                    "min" : 0.13103086425636457,
                    "max" : 0.13103086425636457
                  }
                }, {
                  "kernel" : "vector",
                  "product" : "linearForward",
                  "description" : "x·Wᵀ (NT) 128×1024×256",
                  "gflops" : {
                    "median" : 46.452202471972505,
                    "min" : 26.949092560410815,
                    "max" : 71.81003458523962
                  },
                  "shareOfPeak" : {
                    "median" : 0.5367127527871655,
                    "min" : 0.36481617410114897,
                    "max" : 0.7697984191087156
                  },
                  "quietRounds" : 3,
                  "quietShareOfPeak" : {
                    "median" : 0.7461782727511357,
                    "min" : 0.486841364736475,
                    "max" : 0.7697984191087156
                  }
                }, {
                  "kernel" : "vector",
                  "product" : "attentionValues",
                  "description" : "P·v (NN) 128×32×128",
                  "gflops" : {
                    "median" : 44.384426117947726,
                    "min" : 39.69518770475988,
                    "max" : 77.11375385689912
                  },
                  "shareOfPeak" : {
                    "median" : 0.5016413824082518,
                    "min" : 0.4420773952180081,
                    "max" : 0.8299242645762934
                  },
                  "quietRounds" : 3,
                  "quietShareOfPeak" : {
                    "median" : 0.8070790144051406,
                    "min" : 0.5205367583148847,
                    "max" : 0.8154476060500085
                  }
                } ]
              }
            }
            """;

    /**
     * A real {@code ./lab efficiency} file written before the issue probe (one kernel × two products): no
     * {@code issueProbe}, {@code quietRounds} or {@code quietShareOfPeak}.
     */
    static final String EFFICIENCY_BEFORE_PROBE = """
            {
              "provenance" : {
                "gitCommit" : "a8477706e7a0755466ff918592a3092c6fad334d",
                "javaVersion" : "25.0.3+9-LTS",
                "javaVendor" : "Eclipse Adoptium",
                "jvmFlags" : [ "--sun-misc-unsafe-memory-access=allow", "--add-modules=jdk.incubator.vector", "-XX:NativeMemoryTracking=summary", "-XX:+UseG1GC", "-Dcllmlab.launcher=lab", "-Dcllmlab.javaHome=/usr/lib/jvm/temurin-25-jdk-amd64", "-Dcllmlab.root=/work/main" ],
                "cores" : 2,
                "memoryBytes" : 25276063744,
                "os" : "Linux 6.18.44-fc-v782 amd64",
                "startedAt" : "2026-11-27T07:39:56.744503540Z",
                "seed" : 1,
                "kernels" : "vector"
              },
              "result" : {
                "rounds" : 7,
                "sliceMillis" : 150,
                "peakGflops" : {
                  "median" : 92.95481429072565,
                  "min" : 67.93381579447065,
                  "max" : 95.78292587797706
                },
                "twoCoreCeiling" : {
                  "median" : 1.93610557997429,
                  "min" : 1.0231561951017885,
                  "max" : 1.9852645956585413
                },
                "products" : [ {
                  "kernel" : "vector",
                  "product" : "linearForward",
                  "description" : "x·Wᵀ (NT) 128×1024×256",
                  "gflops" : {
                    "median" : 64.39782083645134,
                    "min" : 34.57037008036639,
                    "max" : 71.25431253627693
                  },
                  "shareOfPeak" : {
                    "median" : 0.6959069394665558,
                    "min" : 0.484514591652832,
                    "max" : 0.7636755588692219
                  }
                }, {
                  "kernel" : "vector",
                  "product" : "attentionValues",
                  "description" : "P·v (NN) 128×32×128",
                  "gflops" : {
                    "median" : 61.34264752749308,
                    "min" : 43.779414698190706,
                    "max" : 78.95970620068353
                  },
                  "shareOfPeak" : {
                    "median" : 0.6545079068489126,
                    "min" : 0.47204787555358807,
                    "max" : 0.8436166336887057
                  }
                } ]
              }
            }
            """;
}
