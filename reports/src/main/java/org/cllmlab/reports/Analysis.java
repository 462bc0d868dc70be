package org.cllmlab.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.MemoryRow;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.reports.ReportModel.ContentionRow;
import org.cllmlab.reports.ReportModel.Group;
import org.cllmlab.reports.ReportModel.GroupKey;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.PhaseRow;
import org.cllmlab.reports.ReportModel.ProvenanceSummary;
import org.cllmlab.reports.ReportModel.RunLine;
import org.cllmlab.reports.ReportModel.ScalingPoint;
import org.cllmlab.reports.ReportModel.ScalingSeries;
import org.cllmlab.reports.ReportModel.Segment;
import org.cllmlab.reports.ReportModel.Verdict;

/** Turns the inputs of a directory into a {@link ReportModel}. Pure: the same inputs give an equal model. */
public final class Analysis {

    /** Phase labels in the original's order; other labels sort after them, alphabetically. */
    public static final List<String> PHASE_ORDER = List.of("baseline", "phase1", "phase2", "phase3", "phase4", "beyond");
    /** Runs of this suite, or with a label starting with it, form speedup-against-workers sweeps. */
    public static final String SCALING = "scaling";
    /** The worker count at which reports predict speedup. */
    public static final int PREDICT_AT = 64;

    private static final List<String> ROW_GROUP_ORDER = List.of("ledger", "heap", "jvm", "file", "residual");

    private Analysis() {
    }

    static int phaseRank(String label) {
        int i = PHASE_ORDER.indexOf(label);
        return i < 0 ? PHASE_ORDER.size() : i;
    }

    static final Comparator<GroupKey> KEY_ORDER = Comparator.<GroupKey>comparingInt(k -> phaseRank(k.label()))
            .thenComparing(GroupKey::label)
            .thenComparing(GroupKey::suite)
            .thenComparing(GroupKey::preset)
            .thenComparingLong(GroupKey::datasetBytes)
            .thenComparing(GroupKey::strategy)
            .thenComparing(GroupKey::threads)
            .thenComparing(GroupKey::hierarchy)
            .thenComparing(GroupKey::caches)
            .thenComparingInt(GroupKey::workers)
            .thenComparing(GroupKey::batchMode)
            .thenComparingInt(GroupKey::steps);

    public static ReportModel analyse(ResultLoader.Inputs inputs) {
        Map<String, RunResult> runs = inputs.runs();
        Map<GroupKey, List<RunResult>> byKey = new TreeMap<>(KEY_ORDER);
        runs.values().forEach(r -> byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r));

        int cores = runs.values().stream().map(RunResult::provenance).filter(Objects::nonNull)
                .mapToInt(Provenance::cores).max().orElse(0);

        List<Group> groups = new ArrayList<>();
        Map<GroupKey, List<RunResult>> okRuns = new LinkedHashMap<>();
        byKey.forEach((k, rs) -> {
            groups.add(group(k, rs));
            okRuns.put(k, rs.stream().filter(RunResult::ok).toList());
        });

        List<Group> phaseGroups = groups.stream().filter(g -> !isScaling(g.key())).toList();
        List<PhaseRow> phases = phaseGroups.stream().map(g -> new PhaseRow(g, reduction(g, phaseGroups))).toList();
        List<MemoryBar> bars = phaseGroups.stream().filter(g -> g.ok() > 0)
                .map(g -> memoryBar(g, okRuns.get(g.key()))).toList();
        List<Verdict> verdicts = verdicts(phaseGroups, cores);
        List<ScalingSeries> scaling = scaling(groups.stream().filter(g -> isScaling(g.key())).toList(), okRuns, cores);
        List<ContentionRow> contention = groups.stream().filter(g -> g.ok() > 0)
                .map(g -> contention(g.key(), okRuns.get(g.key()))).filter(Objects::nonNull).toList();
        List<JmhResult> jmh = inputs.jmh().stream()
                .sorted(Comparator.comparing(JmhResult::benchmark).thenComparing(JmhResult::mode)
                        .thenComparing(j -> j.params().toString()).thenComparing(JmhResult::file))
                .toList();
        List<EfficiencyResult> efficiency = inputs.efficiency().stream()
                .sorted(Comparator.comparing(EfficiencyResult::file)).toList();
        int ok = (int) runs.values().stream().filter(RunResult::ok).count();
        var summary = new ReportModel.InputsSummary(runs.size(), ok, runs.size() - ok, jmh.size(), efficiency.size(),
                inputs.ignored(), inputs.unreadable());
        return new ReportModel(Path.of(inputs.directory()).toAbsolutePath().normalize().getFileName().toString(), summary, groups, phases, bars, verdicts, scaling, contention, jmh,
                efficiency, provenance(runs, cores));
    }

    static boolean isScaling(GroupKey k) {
        return SCALING.equals(k.suite()) || k.label().startsWith(SCALING);
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }

    static GroupKey key(RunResult r) {
        RunConfig c = r.config();
        String suite = orUnknown(r.suite());
        if (c == null) {
            return new GroupKey(suite, "unknown", "?", 0, "?", "?", "?", "?", 0, "?", 0);
        }
        return new GroupKey(suite, orUnknown(c.label()), orUnknown(c.preset()), c.datasetBytes(), orUnknown(c.strategy()),
                orUnknown(c.threads()), orUnknown(c.hierarchy()), orUnknown(c.caches()), c.workers(),
                orUnknown(c.batchMode()), c.steps());
    }

    private static Summary over(List<RunResult> ok, ToDoubleFunction<RunResult> f) {
        return Summary.of(ok.stream().mapToDouble(f).toArray());
    }

    private static double orNaN(Long v) {
        return v == null ? Double.NaN : v;
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "no reason recorded";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    static Group group(GroupKey k, List<RunResult> rs) {
        List<RunResult> ok = rs.stream().filter(RunResult::ok).toList();
        List<String> failures = rs.stream().filter(r -> !r.ok()).map(r -> firstLine(r.failure()))
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        List<String> ids = rs.stream().map(RunResult::runId).sorted().toList();
        return new Group(k, ids, ok.size(), rs.size() - ok.size(), failures,
                over(ok, r -> r.training().tokensPerSecond()),
                over(ok, r -> r.memory().peakResidentBytes()),
                over(ok, r -> r.memory().heapCommittedPeakBytes()),
                over(ok, r -> r.memory().heapUsedPeakBytes()),
                over(ok, r -> orNaN(r.memory().stackReservedBytes())),
                over(ok, r -> orNaN(r.memory().stackCommittedBytes())),
                over(ok, r -> r.memory().hierarchyBytes()),
                over(ok, r -> orNaN(r.memory().ledger().get("activations"))),
                over(ok, r -> r.memory().residentToDatasetRatio()),
                over(ok, r -> r.contention() == null ? Double.NaN : r.contention().serializationIndex()),
                over(ok, r -> r.training().wallSeconds()),
                over(ok, r -> r.training().cpuSeconds()),
                over(ok, r -> r.training().finalLoss()),
                over(ok, r -> orNaN(r.memory().setupPeakResidentBytes())));
    }

    private static Group find(List<Group> groups, GroupKey like, String label) {
        return groups.stream()
                .filter(g -> g.ok() > 0 && g.key().label().equals(label) && g.key().suite().equals(like.suite())
                        && g.key().preset().equals(like.preset()) && g.key().datasetBytes() == like.datasetBytes())
                .findFirst().orElse(null);
    }

    private static double reduction(Group g, List<Group> groups) {
        Group base = find(groups, g.key(), "baseline");
        if (base == null || g.ok() == 0) {
            return Double.NaN;
        }
        return 100 * (1 - g.residentPeakBytes().mean() / base.residentPeakBytes().mean());
    }

    static MemoryBar memoryBar(Group g, List<RunResult> ok) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, MemoryRow> first = new LinkedHashMap<>();
        for (RunResult r : ok) {
            for (MemoryRow row : r.memory().breakdown()) {
                sums.computeIfAbsent(row.name(), n -> new double[1])[0] += row.bytes();
                first.putIfAbsent(row.name(), row);
            }
        }
        List<Segment> segments = first.values().stream()
                .sorted(Comparator.<MemoryRow>comparingInt(row -> rank(row.group())).thenComparing(MemoryRow::name))
                .map(row -> new Segment(row.name(), row.group(), row.kind().id(), sums.get(row.name())[0] / ok.size()))
                .toList();
        double residual = segments.stream().filter(s -> "residual".equals(s.group())).mapToDouble(Segment::bytes).sum();
        String note = residual < 0
                ? "unaccounted is negative (" + Fmt.mib(residual) + " MiB): the categories, some of them committed"
                + " rather than resident, add up to more than the resident peak"
                : residual > 0 ? Fmt.mib(residual) + " MiB (" + Fmt.pct(100 * residual / g.residentPeakBytes().mean())
                + ") of the resident peak is not explained by any category" : "";
        return new MemoryBar(g.key(), g.residentPeakBytes().mean(), segments, note);
    }

    /** The place of a breakdown row's group in bars and tables: ledger, heap, jvm, file, residual, others. */
    static int groupRank(String group) {
        return rank(group);
    }

    private static int rank(String group) {
        int i = ROW_GROUP_ORDER.indexOf(group);
        return i < 0 ? ROW_GROUP_ORDER.size() : i;
    }

    /** Picks the figures each claim needs from the phase groups and hands them to {@link Verdicts}. */
    static List<Verdict> verdicts(List<Group> phases, int cores) {
        Function<String, List<Group>> byLabel = l -> phases.stream().filter(g -> g.ok() > 0 && g.key().label().equals(l)).toList();
        List<Verdict> out = new ArrayList<>();

        Group baseLarge = largest(byLabel.apply("baseline"));
        out.add(baseLarge == null ? Verdicts.before(Double.NaN, 0, 0)
                : Verdicts.before(baseLarge.residentPeakBytes().mean(), baseLarge.key().datasetBytes(), baseLarge.key().workers()));
        out.add(baseLarge == null ? Verdicts.stacks(Double.NaN, Double.NaN)
                : Verdicts.stacks(baseLarge.stackReservedBytes().mean(), baseLarge.stackCommittedBytes().mean()));
        out.add(baseLarge == null ? Verdicts.ratio(Double.NaN, 0)
                : Verdicts.ratio(baseLarge.residentToDataset().mean(), baseLarge.key().datasetBytes()));

        Group p2Small = smallest(byLabel.apply("phase2"));
        out.add(p2Small == null ? Verdicts.after(Double.NaN, 0)
                : Verdicts.after(p2Small.residentPeakBytes().mean(), p2Small.key().datasetBytes()));
        Pair bp2 = pair(phases, "baseline", "phase2");
        double cross = baseLarge == null || p2Small == null ? Double.NaN
                : 100 * (1 - p2Small.residentPeakBytes().mean() / baseLarge.residentPeakBytes().mean());
        out.add(bp2 == null ? Verdicts.reduction(Double.NaN, 0, cross)
                : Verdicts.reduction(bp2.savingPct(), bp2.b().key().datasetBytes(), cross));
        out.add(bp2 == null ? Verdicts.expectedLarge(Double.NaN, Double.NaN, 0)
                : Verdicts.expectedLarge(bp2.b().residentPeakBytes().mean(), bp2.savingPct(), bp2.b().key().datasetBytes()));

        Pair p1 = pair(phases, "baseline", "phase1");
        out.add(p1 == null ? Verdicts.phase1(Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                : Verdicts.phase1(p1.a().stackReservedBytes().mean() - p1.b().stackReservedBytes().mean(),
                p1.saving(), p1.savingPct(), p1.tokensChangePct(), p1.tokensNoisePct()));
        Pair p2 = pair(phases, "phase1", "phase2");
        out.add(p2 == null ? Verdicts.phase2(Double.NaN, Double.NaN)
                : Verdicts.phase2(p2.a().hierarchyBytes().mean() - p2.b().hierarchyBytes().mean(), p2.saving()));
        Pair p3 = pair(phases, "phase2", "phase3");
        out.add(p3 == null ? Verdicts.phase3(Double.NaN, Double.NaN, Double.NaN)
                : Verdicts.phase3(p3.a().activationBytes().mean() - p3.b().activationBytes().mean(), p3.saving(), p3.savingPct()));
        Pair p4 = pair(phases, "phase3", "phase4");
        out.add(p4 == null ? Verdicts.phase4(Double.NaN, 0, cores)
                : Verdicts.phase4(p4.b().tokensPerSecond().mean() / p4.a().tokensPerSecond().mean(), p4.b().key().workers(), cores));
        Pair p5 = pair(phases, "phase4", "beyond");
        out.add(p5 == null ? Verdicts.beyond(Double.NaN, Double.NaN, Double.NaN)
                : Verdicts.beyond(p5.a().residentPeakBytes().mean(), p5.b().residentPeakBytes().mean(),
                p5.b().tokensPerSecond().mean() / p5.a().tokensPerSecond().mean()));
        return out;
    }

    private static Group largest(List<Group> gs) {
        return gs.stream().max(Comparator.comparingLong(g -> g.key().datasetBytes())).orElse(null);
    }

    private static Group smallest(List<Group> gs) {
        return gs.stream().min(Comparator.comparingLong(g -> g.key().datasetBytes())).orElse(null);
    }

    /** Two phases measured on the same dataset, preset and suite; the largest dataset when several. */
    record Pair(Group a, Group b) {
        double saving() {
            return a.residentPeakBytes().mean() - b.residentPeakBytes().mean();
        }

        double savingPct() {
            return 100 * saving() / a.residentPeakBytes().mean();
        }

        double tokensChangePct() {
            return 100 * (b.tokensPerSecond().mean() / a.tokensPerSecond().mean() - 1);
        }

        /**
         * The 95% half-width of the tokens/s change in %: both means' half-widths combined in
         * quadrature, relative to the first mean; NaN when either side is a single run.
         */
        double tokensNoisePct() {
            double ha = a.tokensPerSecond().halfWidth();
            double hb = b.tokensPerSecond().halfWidth();
            return 100 * Math.sqrt(ha * ha + hb * hb) / a.tokensPerSecond().mean();
        }
    }

    static Pair pair(List<Group> phases, String from, String to) {
        Pair best = null;
        for (Group a : phases) {
            if (a.ok() == 0 || !a.key().label().equals(from)) {
                continue;
            }
            Group b = find(phases, a.key(), to);
            if (b != null && (best == null || a.key().datasetBytes() > best.a().key().datasetBytes())) {
                best = new Pair(a, b);
            }
        }
        return best;
    }

    static List<ScalingSeries> scaling(List<Group> groups, Map<GroupKey, List<RunResult>> okRuns, int cores) {
        record SeriesKey(String strategy, String suite, String preset, long dataset, String threads, String hierarchy,
                         String caches, String batchMode) {
        }
        Map<SeriesKey, List<Group>> bySeries = new LinkedHashMap<>();
        groups.stream().filter(g -> g.ok() > 0)
                .sorted(Comparator.comparing((Group g) -> g.key().strategy()).thenComparing(g -> g.key(), KEY_ORDER))
                .forEach(g -> bySeries.computeIfAbsent(new SeriesKey(g.key().strategy(), g.key().suite(), g.key().preset(),
                        g.key().datasetBytes(), g.key().threads(), g.key().hierarchy(), g.key().caches(),
                        g.key().batchMode()), k -> new ArrayList<>()).add(g));
        List<ScalingSeries> out = new ArrayList<>();
        bySeries.forEach((k, gs) -> {
            List<Group> sorted = gs.stream().sorted(Comparator.comparingInt(g -> g.key().workers())).toList();
            Group ref = sorted.get(0);
            Summary r = ref.tokensPerSecond();
            List<ScalingPoint> points = new ArrayList<>();
            for (Group g : sorted) {
                Summary t = g.tokensPerSecond();
                double s = t.mean() / r.mean();
                // delta method for a ratio of independent means; the reference is 1 by definition
                double hw = g == ref ? 0 : t.hasInterval() && r.hasInterval()
                        ? s * Math.hypot(t.halfWidth() / t.mean(), r.halfWidth() / r.mean())
                        : Double.NaN;
                points.add(new ScalingPoint(g.key().workers(), t, s, hw));
            }
            Group top = sorted.get(sorted.size() - 1);
            double sIndex = top.serializationIndex().mean();
            double amdahl = Double.isNaN(sIndex) ? Double.NaN : Scalability.amdahl(sIndex, PREDICT_AT);
            String fit = "none";
            double alpha = Double.NaN, beta = Double.NaN, kf = Double.NaN, fitAt64 = Double.NaN;
            // Fit only where workers do not outnumber cores: beyond that, workers time-share cores and the
            // flat tail would be read as contention or coherency cost by the models.
            List<ScalingPoint> fitted = points.stream().filter(p -> cores <= 0 || p.workers() <= cores).toList();
            if (ref.key().workers() == 1 && fitted.size() >= 3) {
                Scalability.UslFit usl = Scalability.fitUsl(fitted.stream().mapToDouble(ScalingPoint::workers).toArray(),
                        fitted.stream().mapToDouble(ScalingPoint::speedup).toArray());
                if (usl != null) {
                    fit = "usl";
                    alpha = usl.alpha();
                    beta = usl.beta();
                    fitAt64 = usl.at(PREDICT_AT);
                }
            } else if (ref.key().workers() == 1 && fitted.size() == 2) {
                ScalingPoint p = fitted.get(1);
                fit = "karp-flatt";
                kf = Scalability.karpFlatt(p.speedup(), p.workers());
                fitAt64 = Scalability.amdahl(kf, PREDICT_AT);
            }
            out.add(new ScalingSeries(k.strategy(), k.preset(), k.dataset(), ref.key().workers(), points, sIndex, amdahl,
                    fit, alpha, beta, kf, fitAt64, cores));
        });
        return out;
    }

    static ContentionRow contention(GroupKey k, List<RunResult> ok) {
        List<Contention> cs = ok.stream().map(RunResult::contention).filter(Objects::nonNull).toList();
        if (cs.isEmpty()) {
            return null;
        }
        ToDoubleFunction<ToDoubleFunction<Contention>> mean = f -> cs.stream().mapToDouble(f).average().orElse(Double.NaN) / 1e9;
        return new ContentionRow(k, cs.size(), mean.applyAsDouble(Contention::workerWallNanos),
                mean.applyAsDouble(Contention::lockHoldNanos), mean.applyAsDouble(Contention::lockWaitNanos),
                mean.applyAsDouble(Contention::barrierWaitNanos), mean.applyAsDouble(Contention::reductionNanos),
                mean.applyAsDouble(Contention::optimizerNanos),
                cs.stream().anyMatch(c -> c.blockedNanos() == null) ? Double.NaN : mean.applyAsDouble(c -> c.blockedNanos()),
                cs.stream().anyMatch(c -> c.waitedNanos() == null) ? Double.NaN : mean.applyAsDouble(c -> c.waitedNanos()),
                cs.stream().mapToDouble(Contention::serializationIndex).average().orElse(Double.NaN));
    }

    static ProvenanceSummary provenance(Map<String, RunResult> runs, int cores) {
        TreeSet<String> machines = new TreeSet<>(), jvms = new TreeSet<>(), commits = new TreeSet<>(),
                kernels = new TreeSet<>(), started = new TreeSet<>(), flags = new TreeSet<>();
        List<RunLine> lines = new ArrayList<>();
        runs.forEach((file, r) -> {
            Provenance p = r.provenance();
            if (p != null) {
                machines.add(p.cores() + " cores, " + Fmt.num(p.memoryBytes() / (Fmt.MIB * 1024), 1) + " GiB memory, "
                        + orUnknown(p.os()));
                jvms.add(orUnknown(p.javaVersion()) + " (" + orUnknown(p.javaVendor()) + ")");
                commits.add(orUnknown(p.gitCommit()));
                kernels.add(orUnknown(p.kernels()));
                flags.add(JvmFlags.shown(p.jvmFlags()));
                if (p.startedAt() != null) {
                    started.add(p.startedAt());
                }
            }
            RunConfig c = r.config();
            GroupKey k = key(r);
            lines.add(new RunLine(file, r.runId(), orUnknown(r.suite()), r.ok() ? "ok" : "failed: " + firstLine(r.failure()),
                    k.label(), k.preset(), k.datasetBytes(), k.strategy(), k.threads(), k.hierarchy(), k.caches(),
                    k.workers(), k.batchMode(), k.steps(), c == null ? 0 : c.warmup(), c == null ? 0 : c.repetition(),
                    c == null ? 0 : c.seed(), c == null ? "" : String.join(" ", c.jvmOptions()),
                    p == null ? "?" : orUnknown(p.startedAt())));
        });
        lines.sort(Comparator.comparing(RunLine::file));
        return new ProvenanceSummary(List.copyOf(machines), List.copyOf(jvms), List.copyOf(flags), List.copyOf(commits), List.copyOf(kernels),
                started.isEmpty() ? "?" : started.first(), started.isEmpty() ? "?" : started.last(), cores, lines);
    }
}
