package org.cllmlab.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllmlab.reports.ReportModel.ContentionRow;
import org.cllmlab.reports.ReportModel.Group;
import org.cllmlab.reports.ReportModel.GroupKey;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.PhaseRow;
import org.cllmlab.reports.ReportModel.RunLine;
import org.cllmlab.reports.ReportModel.ScalingPoint;
import org.cllmlab.reports.ReportModel.ScalingSeries;
import org.cllmlab.reports.ReportModel.Segment;
import org.cllmlab.reports.ReportModel.Verdict;

/**
 * The report's tables as plain text cells, shared by the Markdown and HTML reporters so both show the same
 * figures. Every header says what its number measures (resident, committed, reserved, used; wall or CPU;
 * measured or prediction).
 */
final class Tables {

    record Table(List<String> headers, List<List<String>> rows) {
        Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** A block of tables for one subject, e.g. one dataset's memory breakdown. */
    record Titled(String title, Table table, List<String> notes) {
        Titled {
            notes = List.copyOf(notes);
        }
    }

    private Tables() {
    }

    static String config(GroupKey k) {
        return k.label() + " (" + k.suite() + ", " + k.preset() + ", " + Fmt.bytes(k.datasetBytes()) + " data, " + k.strategy()
                + ", " + k.threads() + ", " + k.hierarchy() + ", " + k.caches() + ", " + k.workers() + " workers, "
                + (k.cpus() > 0 ? k.cpus() + (k.cpus() == 1 ? " CPU (pinned), " : " CPUs (pinned), ") : "")
                + k.batchMode() + " batch, " + k.steps() + " steps)";
    }

    static String inputs(ReportModel m) {
        var in = m.inputs();
        return in.runFiles() + " run result files (" + in.okRuns() + " ok, " + in.failedRuns() + " failed), "
                + in.jmhBenchmarks() + " JMH benchmarks, " + in.efficiencyFiles() + " kernel efficiency files"
                + (in.ignoredFiles().isEmpty() ? "" : ", " + in.ignoredFiles().size() + " other .json files ignored")
                + (in.unreadableFiles().isEmpty() ? "" : ", " + in.unreadableFiles().size() + " unreadable file"
                + (in.unreadableFiles().size() == 1 ? "" : "s") + " left out (listed below)")
                + ". Memory in MiB (2^20 bytes). Means over repetitions; ± is the half-width of a 95% Student-t"
                + " confidence interval; \"n=1\" marks a single run, where no interval exists.";
    }

    static final String UNREADABLE_TITLE = "Unreadable files (left out of this report)";

    static String unreadableNote(ReportModel m) {
        int n = m.inputs().unreadableFiles().size();
        return (n == 1 ? "This file" : "These " + n + " files") + " could not be read, so no figure below includes "
                + (n == 1 ? "it" : "them") + ". Fix or remove " + (n == 1 ? "it" : "them")
                + " and render the report again.";
    }

    static Table unreadable(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        m.inputs().unreadableFiles().forEach(u -> rows.add(List.of(u.file(), u.reason())));
        return new Table(List.of("file", "why it could not be read"), rows);
    }

    static Table verdicts(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (Verdict v : m.verdicts()) {
            rows.add(List.of(v.claim(), v.measured(), v.outcome().text(), v.why()));
        }
        return new Table(List.of("claim (the original)", "measured here", "verdict", "why"), rows);
    }

    static String thresholds() {
        return String.format(java.util.Locale.ROOT, "Thresholds: a claimed saving or speedup holds when at least %.0f%% of it"
                        + " was measured; \"zero performance impact\" holds within ±%.0f%% tokens/s; an absolute figure holds"
                        + " within ±%.0f%% and partly holds within a factor of %.0f. A verdict is decided on the 95%%"
                        + " interval of its figure, not on the mean: \"held\" or \"did not hold\" only when the whole"
                        + " interval is on one side of the threshold, \"inconclusive\" when it straddles it. Savings compare"
                        + " the resident figures after a full collection on the same dataset (the largest measured) unless"
                        + " the claim names reserved memory; throughput compares runs of the same repetition, which ran"
                        + " next to each other. The original's absolute figures (1.32 GB, 276 MB, 473 MB, 55×) are"
                        + " compared only at its own shape (the seed preset, 63 workers).",
                Verdicts.HELD_SHARE * 100, Verdicts.NO_IMPACT_PCT, Verdicts.TOLERANCE * 100, Verdicts.PARTLY_FACTOR);
    }

    /** How the memory verdicts' resident figure was measured, and which machine the verdicts were judged on. */
    static List<String> methodNotes(ReportModel m) {
        List<String> out = new ArrayList<>();
        ReportModel.MemoryMethod mm = m.memory();
        out.add("Memory method: " + mm.method() + " (" + mm.runs() + " runs"
                + (mm.others() > 0 ? "; " + mm.others() + " runs without it, whose sampled peak stands in" : "")
                + "). On the JVM the sampled resident peak moves with the garbage collector: garbage not yet"
                + " collected and heap pages touched once and free since count as resident, and two runs of one"
                + " configuration can differ by more than the effect being judged. A full collection at the peak,"
                + " with the free heap given back, leaves the live set plus everything outside the heap: the same"
                + " figure on every run. The GC slack (the sampled peak above it) is a column of its own.");
        if (!m.judged().leftOut().isEmpty()) {
            out.add("Judged on " + m.judged().machine() + "; runs of other machines are not mixed into the verdicts"
                    + " and were left out of them: " + String.join(", ", m.judged().leftOut()) + ".");
        } else if (!m.judged().machine().isEmpty()) {
            out.add("Every phase run ran on " + m.judged().machine() + ".");
        }
        return out;
    }

    /** What each phase runs, once per configuration rather than once per dataset. */
    static Table phaseConfigurations(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        Set<List<String>> seen = new java.util.HashSet<>();
        for (PhaseRow p : m.phases()) {
            GroupKey k = p.group().key();
            List<String> row = List.of(phaseName(k, m), k.suite(), k.preset(), k.strategy(), k.threads(), k.hierarchy(),
                    k.caches(), Integer.toString(k.workers()), k.batchMode(), Integer.toString(k.steps()));
            if (seen.add(row)) {
                rows.add(row);
            }
        }
        return new Table(List.of("phase", "suite", "preset", "strategy", "threads", "hierarchy", "caches", "workers",
                "batch", "steps"), rows);
    }

    /**
     * A phase's name in the tables: its label, or, when phases of one label differ in configuration (a suite
     * of its own), the label with the strategy, threads, hierarchy, caches and workers.
     */
    static String phaseName(GroupKey k, ReportModel m) {
        boolean ambiguous = m.phases().stream().map(p -> p.group().key())
                .anyMatch(o -> o.label().equals(k.label()) && !sameConfiguration(o, k));
        return ambiguous ? k.label() + " (" + k.strategy() + ", " + k.threads() + ", " + k.hierarchy() + ", " + k.caches()
                + ", " + k.workers() + " workers)" : k.label();
    }

    private static boolean sameConfiguration(GroupKey a, GroupKey b) {
        return a.strategy().equals(b.strategy()) && a.threads().equals(b.threads()) && a.hierarchy().equals(b.hierarchy())
                && a.caches().equals(b.caches()) && a.workers() == b.workers() && a.batchMode().equals(b.batchMode())
                && a.steps() == b.steps() && a.preset().equals(b.preset()) && a.suite().equals(b.suite());
    }

    static Table phases(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (PhaseRow p : m.phases()) {
            Group g = p.group();
            GroupKey k = g.key();
            rows.add(List.of(phaseName(k, m), Fmt.bytes(k.datasetBytes()), g.ok() + "/" + (g.ok() + g.failed()),
                    Fmt.meanCi(g.residentStableBytes(), Fmt.MIB, 1), Fmt.mean(g.gcSlackBytes(), Fmt.MIB, 1),
                    Fmt.mean(g.residentPeakBytes(), Fmt.MIB, 1),
                    Fmt.mean(g.heapCommittedBytes(), Fmt.MIB, 1), Fmt.mean(g.heapUsedBytes(), Fmt.MIB, 1),
                    Fmt.mean(g.stackReservedBytes(), Fmt.MIB, 1), Fmt.mean(g.stackCommittedBytes(), Fmt.MIB, 1),
                    Analysis.isPhase(k, org.cllmlab.core.results.Phase.BASELINE) && g.ok() > 0 ? "—"
                            : Fmt.pct(p.residentReductionPct()),
                    ratio(g), Fmt.meanCi(g.tokensPerSecond(), 1, 1) + cold(g),
                    Fmt.mean(g.setupPeakBytes(), Fmt.MIB, 1), g.status()));
        }
        return new Table(List.of("phase", "dataset", "runs ok",
                "resident MiB after a full collection (resident; the verdicts' figure)", "GC slack MiB (resident)",
                "sampled peak MiB (resident, RSS)",
                "heap committed MiB (committed)", "heap used MiB (used)", "thread stacks MiB (reserved)",
                "thread stacks MiB (committed, NMT)", "reduction vs baseline (resident after a full collection)",
                "resident / dataset (×)",
                "tokens/s (measured, wall)", "set-up peak MiB (resident, corpus + tokenizing, before training)", "status"),
                rows);
    }

    static final String RATIO_TOO_SMALL = Fmt.NA + " (dataset too small)";

    private static String ratio(Group g) {
        return g.residentToDatasetMeaningful() ? Fmt.mean(g.residentToDataset(), 1, 1) : RATIO_TOO_SMALL;
    }

    /** The mark beside the tokens/s of a group of single cold steps, explained by {@link #COLD_NOTE}. */
    static final String COLD = " (1 cold step)";

    static final String COLD_NOTE = "(1 cold step): runs of a single cold step, made for their memory figures; their"
            + " tokens/s is the JIT compiler's first pass, and is not judged, charted or fed to the step model.";

    /** {@link #COLD} for a group that did not measure throughput, else "". */
    static String cold(Group g) {
        return g.ok() > 0 && !g.measuresThroughput() ? COLD : "";
    }

    static boolean anyCold(ReportModel m) {
        return m.groups().stream().anyMatch(g -> !cold(g).isEmpty());
    }

    /** Notes under the phase table. */
    static List<String> phasesNotes(ReportModel m) {
        List<String> notes = new ArrayList<>();
        notes.add("resident / dataset (the original's ratio) is given for datasets of "
                + Fmt.bytes(ReportModel.RATIO_MIN_DATASET_BYTES) + " or more only: below that the JVM's own"
                + " few hundred MiB dominate, and the ratio says how small the dataset is, not how memory grows with it.");
        if (anyCold(m)) {
            notes.add("tokens/s " + COLD_NOTE);
        }
        return notes;
    }

    static String throughputCaption() {
        return "Bars: mean tokens per second of wall time over the measured steps (validation excluded), one per"
                + " dataset; error bars: the 95% Student-t confidence interval of the mean. A single run has no"
                + " interval and no error bar.";
    }

    static String phaseSpeedupCaption(int cores) {
        return "Each phase's mean tokens/s over the baseline's on the same dataset, with the 95% interval of the"
                + " ratio (delta method). The ideal is every worker on a core of its own; the core cap is what "
                + (cores > 0 ? "this machine's " + cores + " cores allow" : "the cores allow")
                + " when the baseline runs on one core at a time: past it, workers only share cores.";
    }

    static String breakdownNote() {
        return "Each bar is the mean resident figure after a full collection at the peak, split into the breakdown's"
                + " rows, which add up to it exactly, with the GC slack (the sampled peak above it: garbage not yet"
                + " collected and free heap pages) as a segment of its own on top, so that the whole bar is the"
                + " sampled peak (RSS). Rows of kind used are heap bytes inside the resident heap; a row of kind"
                + " committed stands in for a resident figure the JVM does not expose (it is labelled so);"
                + " unaccounted is what no row explains. Runs without a full collection (older files) show their"
                + " sampled peak's breakdown.";
    }

    /** One table per (suite, preset, dataset): categories down, phases across, mean MiB. */
    static List<Titled> breakdowns(ReportModel m) {
        Map<String, List<MemoryBar>> byData = new LinkedHashMap<>();
        m.memoryBars().stream()
                .sorted(java.util.Comparator.comparing((MemoryBar b) -> b.key().suite()).thenComparing(b -> b.key().preset())
                        .thenComparingLong(b -> b.key().datasetBytes()))
                .forEach(b -> byData.computeIfAbsent(dataTitle(b.key()), t -> new ArrayList<>()).add(b));
        // keep phase order within each table
        List<Titled> out = new ArrayList<>();
        byData.forEach((title, bars) -> {
            List<MemoryBar> ordered = bars.stream().sorted((a, b) -> Analysis.KEY_ORDER.compare(a.key(), b.key())).toList();
            Set<String> names = new LinkedHashSet<>();
            Map<String, Segment> proto = new LinkedHashMap<>();
            ordered.forEach(b -> b.segments().forEach(s -> {
                names.add(s.name());
                proto.putIfAbsent(s.name(), s);
            }));
            List<String> headers = new ArrayList<>(List.of("category", "group", "kind"));
            ordered.forEach(b -> headers.add(barName(b) + " MiB"));
            List<List<String>> rows = new ArrayList<>();
            for (String n : sortedNames(names, proto)) {
                Segment p = proto.get(n);
                List<String> row = new ArrayList<>(List.of(n, p.group(), p.kind()));
                for (MemoryBar b : ordered) {
                    row.add(b.segments().stream().filter(s -> s.name().equals(n)).findFirst()
                            .map(s -> Fmt.mib(s.bytes())).orElse("—"));
                }
                rows.add(row);
            }
            List<String> total = new ArrayList<>(List.of("resident peak", "total", "resident"));
            ordered.forEach(b -> total.add(Fmt.mib(b.residentPeakBytes())));
            rows.add(total);
            List<String> notes = ordered.stream().filter(b -> !b.note().isEmpty()).map(b -> barName(b) + ": " + b.note()).toList();
            out.add(new Titled(title, new Table(headers, rows), notes));
        });
        return out;
    }

    private static List<String> sortedNames(Set<String> names, Map<String, Segment> proto) {
        List<String> order = List.of("ledger", "heap", "jvm", "file", "residual");
        return names.stream().sorted(java.util.Comparator.<String>comparingInt(n -> {
            int i = order.indexOf(proto.get(n).group());
            return i < 0 ? order.size() : i;
        }).thenComparing(n -> n)).toList();
    }

    static String dataTitle(GroupKey k) {
        return Fmt.bytes(k.datasetBytes()) + " dataset, " + k.preset() + " preset, suite " + k.suite();
    }

    static String barName(MemoryBar b) {
        GroupKey k = b.key();
        return k.label() + (k.role() != null ? "" : " " + k.strategy());
    }

    static Table statistics(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (Group g : m.groups()) {
            rows.add(List.of(config(g.key()), Integer.toString(g.ok()),
                    Fmt.mean(g.tokensPerSecond(), 1, 1) + cold(g), Fmt.num(g.tokensPerSecond().sd(), 1), Fmt.ci(g.tokensPerSecond(), 1, 1),
                    Fmt.mean(g.residentPeakBytes(), Fmt.MIB, 1), Fmt.num(g.residentPeakBytes().sd() / Fmt.MIB, 1),
                    Fmt.ci(g.residentPeakBytes(), Fmt.MIB, 1),
                    Fmt.mean(g.wallSeconds(), 1, 2), Fmt.mean(g.cpuSeconds(), 1, 2), Fmt.mean(g.mfu(), 1, 3),
                    Fmt.mean(g.finalLoss(), 1, 3), g.status()));
        }
        return new Table(List.of("configuration", "n (ok runs)", "tokens/s mean (wall)", "tokens/s sd", "tokens/s 95% CI",
                "resident peak MiB mean (sampled)", "resident sd MiB", "resident 95% CI MiB", "wall s (measured steps)",
                "CPU s (process)", "MFU (model FLOPs / FMA peak x cores)", "final loss", "status"), rows);
    }

    static String scalingNote(ReportModel m) {
        int cores = m.provenance().cores();
        return "Measured speedup is capped by the " + cores + " cores of this machine: past " + cores
                + " workers, extra workers share cores and cannot add throughput, and a run pinned to fewer CPUs"
                + " (taskset) can use only those; the ideal column counts the cores a run could keep busy."
                + " Predictions for more cores are"
                + " the step model's (see \"Predictions\"), calibrated on what the runs measured and tested on core"
                + " counts they did not see.";
    }

    static Table scaling(ScalingSeries s) {
        List<List<String>> rows = new ArrayList<>();
        ScalingPoint ref = s.points().get(0);
        for (ScalingPoint p : s.points()) {
            rows.add(List.of(Integer.toString(p.workers()), p.cpus() > 0 ? p.cpus() + " (pinned)" : "all (" + s.cores() + ")",
                    Fmt.meanCi(p.tokensPerSecond(), 1, 1),
                    Fmt.num(p.speedup(), 2), p == ref ? "reference"
                            : Double.isNaN(p.speedupHalfWidth()) ? "n=" + p.tokensPerSecond().n()
                            : "± " + Fmt.num(p.speedupHalfWidth(), 2) + " (delta method)",
                    Fmt.num(s.ideal(p), 2)));
        }
        return new Table(List.of("workers", "CPUs", "tokens/s (measured, wall)",
                "speedup vs " + s.referenceName() + " (measured)", "speedup 95% CI",
                "ideal: busy cores over the reference's"), rows);
    }

    static String scalingTitle(ScalingSeries s) {
        return s.strategy() + " (" + s.preset() + ", " + Fmt.bytes(s.datasetBytes()) + " data)";
    }

    static List<String> scalingModels(ScalingSeries s) {
        List<String> out = new ArrayList<>();
        ScalingPoint top = s.points().get(s.points().size() - 1);
        out.add("serialization index (measured at " + top.workers() + " workers"
                + (top.cpus() > 0 ? " on " + top.cpus() + (top.cpus() == 1 ? " CPU" : " CPUs") : "") + ": the"
                + " share of worker time spent waiting for locks, at the barrier or for the optimizer; on a machine"
                + " with fewer cores than workers it counts waiting for a core too): " + Fmt.num(s.serializationIndex(), 3));
        if (s.referenceWorkers() != 1 && s.usableCores(s.points().get(0)) != 1) {
            out.add("no run at 1 worker or on 1 CPU: speedup is relative to " + s.referenceName());
        }
        return out;
    }

    /** The predicted speedup at a few core counts, beside the measured one where it was measured. */
    static Table predictions(ReportModel.PredictionSeries s) {
        java.util.TreeSet<Integer> at = new java.util.TreeSet<>(List.of(1, 2, 4, 8, 16, 32, 63, 64, 128));
        at.addAll(s.measuredCores());
        List<List<String>> rows = new ArrayList<>();
        for (int n : at) {
            var e = s.at(n);
            if (e == null) {
                continue;
            }
            String predicted = Double.isNaN(e.predicted()) ? Fmt.NA : "×" + Fmt.num(e.predicted(), 2)
                    + (Double.isNaN(e.predictedLow()) ? "" : " [" + Fmt.num(e.predictedLow(), 2) + ", "
                    + Fmt.num(e.predictedHigh(), 2) + "]");
            String measured = e.measured() == null ? "—" : "×" + Fmt.num(e.measured(), 2)
                    + (e.measuredLow() == null || Double.isNaN(e.measuredLow()) ? "" : " [" + Fmt.num(e.measuredLow(), 2)
                    + ", " + Fmt.num(e.measuredHigh(), 2) + "]");
            String error = e.error() == null ? "—" : Fmt.signedPct(100 * e.error());
            String usl = Double.isNaN(e.usl()) ? "—" : "×" + Fmt.num(e.usl(), 2) + (Double.isNaN(e.uslLow()) ? ""
                    : " [" + Fmt.num(e.uslLow(), 2) + ", " + Fmt.num(e.uslHigh(), 2) + "]");
            String note = e.calibration() ? "calibration (1× by definition)" : e.extrapolation()
                    ? "extrapolation (beyond twice the largest measured count)" : e.measured() != null ? "held out: a test"
                    : "";
            rows.add(List.of(Integer.toString(n), predicted, measured, error, usl, note));
        }
        return new Table(List.of("cores", "predicted speedup (step model, 95% interval)", "measured speedup (95% CI)",
                "error (predicted / measured − 1)", "USL fit (95% band)", "note"), rows);
    }

    static String predictionTitle(ReportModel.PredictionSeries s) {
        return s.strategy() + ", " + s.workers() + " workers, " + s.items() + " items per step (" + s.preset()
                + " preset, " + s.machine() + ")";
    }

    static List<String> predictionNotes(ReportModel.PredictionSeries s) {
        List<String> out = new ArrayList<>();
        if (s.noModel() != null) {
            out.add("no step model: " + s.noModel());
        } else {
            out.add("calibrated at " + s.calibrationCores() + (s.calibrationCores() == 1 ? " core" : " cores") + " on "
                    + String.join(", ", s.calibrationRuns()) + "; speedups are relative to that");
        }
        s.refused().forEach(r -> out.add("not a calibration: " + r));
        if (!s.stack().isEmpty()) {
            out.add("where the ideal " + Analysis.PREDICT_AT + "× is lost at " + Analysis.PREDICT_AT + " cores: "
                    + s.stack().stream().filter(p -> p.speedup() > 0.005).map(p -> p.part() + " −" + Fmt.num(p.speedup(), 1)
                    + "× (" + p.detail() + ")").collect(java.util.stream.Collectors.joining("; ")));
        }
        out.add(s.usl() != null ? String.format(java.util.Locale.ROOT, "USL fit on %d runs at %d core counts:"
                        + " σ = %s [%s, %s] (contention), κ = %s [%s, %s] (coherency)", s.usl().points(), s.usl().coreCounts(),
                Fmt.num(s.usl().sigma(), 4), Fmt.num(s.usl().sigmaLow(), 4), Fmt.num(s.usl().sigmaHigh(), 4),
                Fmt.num(s.usl().kappa(), 5), Fmt.num(s.usl().kappaLow(), 5), Fmt.num(s.usl().kappaHigh(), 5))
                : "no USL fit: " + s.noUsl());
        return out;
    }

    static String predictionsNote() {
        return "Predictions, not measurements. The step model builds a step's time at N cores from what a run"
                + " measured: compute per item (the workers' CPU time), each lock's hold per item (one model lock"
                + " serialises every item; a lock per segment makes a pipeline bounded by its slowest segment), the"
                + " reduction (bytes moved at the bandwidth measured on this machine, its parts in parallel), the"
                + " main thread's serial work (zeroing the gradient, clipping, the optimizer), the barrier, and the"
                + " batch's granularity (items per step against workers and cores). It is tested on core counts it"
                + " did not see: calibrated on one CPU, it predicts the two-CPU runs of the same folder, and the"
                + " error is shown beside each. It leaves out memory bandwidth shared by more cores than were"
                + " measured, cache misses from more cores or buffers, NUMA, frequency scaling and hardware threads,"
                + " the JIT and the collector, context switches, and other tenants of the machine: past twice the"
                + " largest measured core count every figure is an extrapolation and is marked so. The USL is fitted"
                + " only with at least 6 runs at 4 core counts.";
    }

    static Table contention(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (ContentionRow c : m.contention()) {
            rows.add(List.of(config(c.key()), Integer.toString(c.runs()), Fmt.num(c.workerWallSeconds(), 3),
                    Fmt.num(c.lockHoldSeconds(), 3), Fmt.num(c.lockWaitSeconds(), 3), Fmt.num(c.barrierWaitSeconds(), 3),
                    Fmt.num(c.reductionSeconds(), 3), Fmt.num(c.optimizerSeconds(), 3), Fmt.num(c.blockedSeconds(), 3),
                    Fmt.num(c.waitedSeconds(), 3), Fmt.num(c.serializationIndex(), 3)));
        }
        return new Table(List.of("configuration", "runs", "worker time s (wall, sum over workers)", "lock hold s (wall, sum)",
                "lock wait s (wall, sum)", "barrier wait s (wall, sum)", "reduction s (wall)", "optimizer s (wall)",
                "blocked s (ThreadMXBean, sum)", "waited s (ThreadMXBean, sum)", "serialization index (measured)"), rows);
    }

    static Table jmh(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (JmhResult j : m.jmh()) {
            String params = j.params().isEmpty() ? "—" : String.join(", ",
                    j.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            rows.add(List.of(j.benchmark(), j.mode(), params, Integer.toString(j.threads()), Fmt.num(j.score(), 3),
                    Double.isNaN(j.scoreError()) ? Fmt.NA : "± " + Fmt.num(j.scoreError(), 3), j.unit(), j.file()));
        }
        return new Table(List.of("benchmark", "mode", "params", "threads", "score (measured)", "error (99.9%)", "unit", "file"), rows);
    }

    static String efficiencyNote() {
        return "Each product's GFLOP/s (wall time, one thread; a fused multiply-add counts as two FLOP) is divided by"
                + " the mean of the register FMA peak measured just before and just after it; figures are medians over"
                + " the rounds with their [min–max] range. Quiet rounds are those in which an integer issue probe timed"
                + " right after the product ran at 90% or more of its fastest slice: another tenant on the sibling"
                + " hardware thread slows the products but not the FMA loop, so the quiet share is what the kernel"
                + " reaches on a core of its own (n/a: the file predates the probe; — (0): no round was quiet).";
    }

    static Table efficiency(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (EfficiencyResult e : m.efficiency()) {
            for (EfficiencyResult.Product p : e.products()) {
                String quiet = p.quietRounds() == null ? Fmt.NA
                        : p.quietShareOfPeak() == null ? "— (0)"
                        : Fmt.spread(p.quietShareOfPeak(), 100, 0, "%") + " (" + p.quietRounds() + ")";
                rows.add(List.of(e.file(), p.kernel(), p.product(), p.description(), Fmt.spread(p.gflops(), 1, 1, ""),
                        Fmt.spread(p.shareOfPeak(), 100, 0, "%"), quiet));
            }
        }
        return new Table(List.of("file", "kernel", "product", "shape", "GFLOP/s (wall) median [min–max]",
                "share of FMA peak median [min–max]", "quiet rounds: share median [min–max] (n)"), rows);
    }

    /** One line per efficiency file: how it was measured and the machine figures measured beside the products. */
    static List<String> efficiencyFiles(ReportModel m) {
        List<String> out = new ArrayList<>();
        for (EfficiencyResult e : m.efficiency()) {
            out.add(e.file() + ": " + e.rounds() + " rounds of " + e.sliceMillis() + " ms slices; FMA peak "
                    + Fmt.spread(e.peak(), 1, 1, "") + " GFLOP/s (one thread's register FMA loop, measured beside each"
                    + " product); two-core ceiling " + Fmt.spread(e.twoCoreCeiling(), 1, 2, "×")
                    + " (the FMA loop on two threads over one); issue probe "
                    + (e.issueProbe() == null ? "not recorded" : Fmt.spread(e.issueProbe(), 100, 0, "%") + " of its fastest slice")
                    + "; started at " + (e.startedAt().isEmpty() ? "?" : e.startedAt())
                    + "; commit " + (e.gitCommit().isEmpty() ? "?" : e.gitCommit()));
        }
        return out;
    }

    static List<String> provenance(ReportModel m) {
        var p = m.provenance();
        return List.of("machine: " + String.join("; ", p.machines()), "JVM: " + String.join("; ", p.jvms()),
                "JVM flags (of the runs' JVMs" + (p.jvmFlags().stream().anyMatch(f -> f.contains(JvmFlags.PER_PROCESS))
                        ? "; " + JvmFlags.PER_PROCESS + " stands for a value that differs per process" : "") + "): "
                        + String.join("; ", p.jvmFlags()),
                "commit: " + String.join(", ", p.commits()), "kernels: " + String.join(", ", p.kernels()),
                "runs started between " + p.firstStartedAt() + " and " + p.lastStartedAt() + " (from the result files)");
    }

    static Table runs(ReportModel m) {
        List<List<String>> rows = new ArrayList<>();
        for (RunLine r : m.provenance().runs()) {
            rows.add(List.of(r.file(), r.runId(), r.suite(), r.label(), r.preset(), Fmt.bytes(r.datasetBytes()), r.strategy(),
                    r.threads(), r.hierarchy(), r.caches(), Integer.toString(r.workers()), r.batchMode(),
                    r.steps() + "+" + r.warmup(), Integer.toString(r.repetition()), Long.toString(r.seed()),
                    r.jvmOptions().isEmpty() ? "—" : r.jvmOptions(), r.status()));
        }
        return new Table(List.of("file", "run", "suite", "label", "preset", "dataset", "strategy", "threads", "hierarchy",
                "caches", "workers", "batch", "steps+warmup", "rep", "seed", "JVM options", "status"), rows);
    }
}
