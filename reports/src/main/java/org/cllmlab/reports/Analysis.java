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
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.Phase;
import org.cllmlab.core.results.MemoryRow;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.reports.ReportModel.ContentionRow;
import org.cllmlab.reports.ReportModel.Group;
import org.cllmlab.reports.ReportModel.GroupKey;
import org.cllmlab.reports.ReportModel.Judged;
import org.cllmlab.reports.ReportModel.MemoryMethod;
import org.cllmlab.reports.ReportModel.PredictionSeries;
import org.cllmlab.reports.predict.Predictions;
import org.cllmlab.reports.predict.StepModel;
import org.cllmlab.reports.predict.Usl;
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

    /** Runs of this suite, or with a label starting with it, form speedup-against-workers sweeps. */
    public static final String SCALING = "scaling";
    /** The worker count at which reports predict speedup. */
    public static final int PREDICT_AT = 64;

    private static final List<String> ROW_GROUP_ORDER = List.of("ledger", "heap", "jvm", "file", "residual");

    private Analysis() {
    }

    /** A group's place among the phases: its role's, in the original's order; groups without a role after them. */
    static int phaseRank(GroupKey k) {
        if (k.role() == null) {
            return Phase.values().length;
        }
        try {
            return Phase.parse(k.role()).ordinal();
        } catch (IllegalArgumentException e) {
            return Phase.values().length;
        }
    }

    /** Whether the group plays a part in the original's phases. */
    static boolean isPhase(GroupKey k, Phase p) {
        return p.id().equals(k.role());
    }

    static final Comparator<GroupKey> KEY_ORDER = Comparator.<GroupKey>comparingInt(Analysis::phaseRank)
            .thenComparing(GroupKey::label)
            .thenComparing(GroupKey::suite)
            .thenComparing(GroupKey::machine)
            .thenComparing(GroupKey::preset)
            .thenComparingLong(GroupKey::datasetBytes)
            .thenComparing(GroupKey::strategy)
            .thenComparing(GroupKey::threads)
            .thenComparing(GroupKey::hierarchy)
            .thenComparing(GroupKey::caches)
            .thenComparingInt(GroupKey::cpus)
            .thenComparingInt(GroupKey::workers)
            .thenComparing(GroupKey::batchMode)
            .thenComparingInt(GroupKey::steps);

    public static ReportModel analyse(ResultLoader.Inputs inputs) {
        Map<String, RunResult> runs = inputs.runs();
        Map<GroupKey, List<RunResult>> byKey = new TreeMap<>(KEY_ORDER);
        runs.values().stream().filter(RunResult::ok)
                .forEach(r -> byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r));
        // A failed run has no figures to mix up. One that the launcher recorded for a cluster task names the
        // submitting machine, not the node that ran it (which Slurm does not say); so a failed run joins its
        // configuration's ok runs when they all ran on one machine, and keeps a group of its own otherwise.
        runs.values().stream().filter(r -> !r.ok()).forEach(r -> {
            GroupKey own = key(r);
            List<GroupKey> same = byKey.keySet().stream()
                    .filter(k -> k.withMachine("").equals(own.withMachine(""))).toList();
            GroupKey k = same.size() == 1 ? same.get(0) : own;
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        });

        List<Group> groups = new ArrayList<>();
        Map<GroupKey, List<RunResult>> okRuns = new LinkedHashMap<>();
        byKey.forEach((k, rs) -> {
            groups.add(group(k, rs));
            okRuns.put(k, rs.stream().filter(RunResult::ok).toList());
        });

        Judged judged = judged(groups);
        List<PredictionSeries> predictions = predictions(runs.values());
        int cores = runs.values().stream().filter(r -> r.provenance() != null
                        && judged.machine().equals(machine(r.provenance())))
                .mapToInt(r -> r.provenance().cores()).max()
                .orElse(runs.values().stream().map(RunResult::provenance).filter(Objects::nonNull)
                        .mapToInt(Provenance::cores).max().orElse(0));

        List<Group> phaseGroups = groups.stream().filter(g -> !isScaling(g.key())).toList();
        List<PhaseRow> phases = phaseGroups.stream().map(g -> new PhaseRow(g, reduction(g, phaseGroups))).toList();
        List<MemoryBar> bars = phaseGroups.stream().filter(g -> g.ok() > 0)
                .map(g -> memoryBar(g, okRuns.get(g.key()))).toList();
        List<Group> judgedPhases = phaseGroups.stream().filter(g -> g.key().machine().equals(judged.machine())).toList();
        List<Verdict> verdicts = verdicts(judgedPhases, okRuns, cores, predictions);
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
        return new ReportModel(Path.of(inputs.directory()).toAbsolutePath().normalize().getFileName().toString(),
                summary, groups, phases, bars, verdicts, scaling, contention, jmh, efficiency, provenance(runs, cores),
                memoryMethod(runs.values()), judged, predictions);
    }

    static boolean isScaling(GroupKey k) {
        return SCALING.equals(k.suite()) || k.label().startsWith(SCALING);
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }

    /** A machine's identity in reports: host, CPU model and cores (older files: "unknown machine"). */
    static String machine(Provenance p) {
        if (p == null) {
            return "unknown machine";
        }
        if (p.host() == null && p.cpuModel() == null) {
            return "unknown machine (" + p.cores() + " cores)";
        }
        return p.machine();
    }

    static GroupKey key(RunResult r) {
        RunConfig c = r.config();
        String suite = orUnknown(r.suite());
        String machine = machine(r.provenance());
        if (c == null) {
            return new GroupKey(suite, "unknown", "?", 0, "?", "?", "?", "?", 0, "?", 0, null, machine, 0);
        }
        return new GroupKey(suite, orUnknown(c.label()), orUnknown(c.preset()), c.datasetBytes(), orUnknown(c.strategy()),
                orUnknown(c.threads()), orUnknown(c.hierarchy()), orUnknown(c.caches()), c.workers(),
                orUnknown(c.batchMode()), c.steps(), c.role() == null ? null : c.role().id(), machine, c.cpus());
    }

    /** The machine with the most ok runs in a phase role; the phase runs of other machines are left out of verdicts. */
    static Judged judged(List<Group> groups) {
        Map<String, Integer> okByMachine = new TreeMap<>();
        for (Group g : groups) {
            if (g.key().role() != null) {
                okByMachine.merge(g.key().machine(), g.ok(), Integer::sum);
            }
        }
        if (okByMachine.isEmpty()) {
            groups.forEach(g -> okByMachine.merge(g.key().machine(), g.ok(), Integer::sum));
        }
        String best = okByMachine.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse("");
        List<String> leftOut = groups.stream().filter(g -> g.key().role() != null && !g.key().machine().equals(best))
                .flatMap(g -> g.runIds().stream()).sorted().toList();
        return new Judged(best, leftOut);
    }

    /** The memory method the runs used, for the report to name. */
    static MemoryMethod memoryMethod(java.util.Collection<RunResult> runs) {
        TreeSet<String> methods = new TreeSet<>();
        int with = 0;
        int without = 0;
        for (RunResult r : runs) {
            if (!r.ok() || r.memory() == null) {
                continue;
            }
            if (r.memory().collected() != null) {
                with++;
                methods.add(r.memory().collected().method());
            } else {
                without++;
            }
        }
        String method = methods.isEmpty() ? "the sampled resident peak (no full collection at the peak)"
                : String.join("; ", methods);
        return new MemoryMethod(method, with, without);
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
        boolean timed = !ok.isEmpty() && ok.stream().allMatch(r -> r.config() != null && r.config().measureSeconds() > 0);
        boolean measuresThroughput = !ok.isEmpty()
                && ok.stream().allMatch(r -> r.config() == null || r.config().measuresThroughput());
        return new Group(k, ids, ok.size(), rs.size() - ok.size(), failures,
                over(ok, r -> r.training().tokensPerSecond()),
                over(ok, r -> r.memory().peakResidentBytes()),
                over(ok, r -> r.memory().heapCommittedPeakBytes()),
                over(ok, r -> r.memory().heapUsedPeakBytes()),
                over(ok, r -> orNaN(r.memory().stackReservedBytes())),
                over(ok, r -> orNaN(r.memory().stackCommittedBytes())),
                over(ok, r -> r.memory().hierarchyBytes()),
                over(ok, r -> orNaN(r.memory().ledger().get("activations"))),
                over(ok, r -> r.memory().datasetBytes() == 0 ? Double.NaN
                        : (double) r.memory().stableResidentBytes() / r.memory().datasetBytes()),
                over(ok, r -> r.contention() == null ? Double.NaN : r.contention().serializationIndex()),
                over(ok, r -> r.training().wallSeconds()),
                over(ok, r -> r.training().cpuSeconds()),
                over(ok, r -> r.training().finalLoss()),
                over(ok, r -> orNaN(r.memory().setupPeakResidentBytes())),
                over(ok, r -> r.memory().stableResidentBytes()),
                over(ok, r -> r.memory().collected() == null ? Double.NaN : r.memory().gcSlackBytes()),
                over(ok, RunResult::mfu),
                timed, measuresThroughput);
    }

    /** The group of {@code role} on the same suite, machine, preset and dataset as {@code like}. */
    private static Group find(List<Group> groups, GroupKey like, Phase role) {
        return groups.stream()
                .filter(g -> g.ok() > 0 && isPhase(g.key(), role) && g.key().suite().equals(like.suite())
                        && g.key().machine().equals(like.machine())
                        && g.key().preset().equals(like.preset()) && g.key().datasetBytes() == like.datasetBytes())
                .findFirst().orElse(null);
    }

    private static double reduction(Group g, List<Group> groups) {
        Group base = find(groups, g.key(), Phase.BASELINE);
        if (base == null || g.ok() == 0) {
            return Double.NaN;
        }
        return 100 * (1 - g.residentStableBytes().mean() / base.residentStableBytes().mean());
    }

    /**
     * A phase's resident figure split by category: the breakdown after the full collection (the stable figure)
     * where the runs have one, with the GC's slack as a segment of its own on top, so that the bar's height is
     * the sampled peak and the slack is never mixed into a category; else the sampled peak's breakdown.
     */
    static MemoryBar memoryBar(Group g, List<RunResult> ok) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, MemoryRow> first = new LinkedHashMap<>();
        boolean collected = ok.stream().allMatch(r -> r.memory().collected() != null
                && !r.memory().collected().breakdown().isEmpty());
        for (RunResult r : ok) {
            List<MemoryRow> rows = collected ? r.memory().collected().breakdown() : r.memory().breakdown();
            for (MemoryRow row : rows) {
                sums.computeIfAbsent(row.name(), n -> new double[1])[0] += row.bytes();
                first.putIfAbsent(row.name(), row);
            }
        }
        List<Segment> segments = new ArrayList<>(first.values().stream()
                .sorted(Comparator.<MemoryRow>comparingInt(row -> rank(row.group())).thenComparing(MemoryRow::name))
                .map(row -> new Segment(row.name(), row.group(), row.kind().id(), sums.get(row.name())[0] / ok.size()))
                .toList());
        double total = collected ? g.residentStableBytes().mean() : g.residentPeakBytes().mean();
        if (collected) {
            segments.add(new Segment(Palette.GC_SLACK, "slack", "resident", g.gcSlackBytes().mean()));
        }
        double residual = segments.stream().filter(s -> "residual".equals(s.group())).mapToDouble(Segment::bytes).sum();
        double shown = 0.05 * Fmt.MIB;                          // below this, the one-decimal MiB figure is 0.0
        String note = residual <= -shown
                ? "unaccounted is negative (" + Fmt.mib(residual) + " MiB): the categories, some of them committed"
                + " rather than resident, add up to more than the resident figure"
                : residual >= shown ? Fmt.mib(residual) + " MiB (" + Fmt.pct(100 * residual / total)
                + ") of the resident figure is not explained by any category" : "";
        return new MemoryBar(g.key(), collected ? g.residentPeakBytes().mean() : total, segments, note);
    }

    /** The place of a breakdown row's group in bars and tables: ledger, heap, jvm, file, residual, others. */
    static int groupRank(String group) {
        return rank(group);
    }

    private static int rank(String group) {
        int i = ROW_GROUP_ORDER.indexOf(group);
        return i < 0 ? ROW_GROUP_ORDER.size() : i;
    }

    /** Picks the figures each claim needs from the phase groups (found by their roles) and hands them to {@link Verdicts}. */
    static List<Verdict> verdicts(List<Group> phases, Map<GroupKey, List<RunResult>> okRuns, int cores,
                                  List<PredictionSeries> predictions) {
        java.util.function.Function<Phase, List<Group>> byRole = role -> phases.stream()
                .filter(g -> g.ok() > 0 && isPhase(g.key(), role)).toList();
        List<Verdict> out = new ArrayList<>();

        Group baseLarge = largest(byRole.apply(Phase.BASELINE));
        Verdicts.Shape shape = baseLarge != null ? new Verdicts.Shape(baseLarge.key().preset(), baseLarge.key().workers())
                : phases.stream().filter(g -> g.key().role() != null).findFirst()
                .map(g -> new Verdicts.Shape(g.key().preset(), g.key().workers())).orElse(new Verdicts.Shape("?", 0));
        Estimate baseResident = baseLarge == null ? Estimate.NONE : Estimate.mean(baseLarge.residentStableBytes());
        out.add(Verdicts.before(baseResident, baseLarge == null ? 0 : baseLarge.key().datasetBytes(), shape));
        out.add(baseLarge == null ? Verdicts.stacks(Estimate.NONE, Estimate.NONE)
                : Verdicts.stacks(Estimate.exact(baseLarge.stackReservedBytes().mean()),
                Estimate.exact(baseLarge.stackCommittedBytes().mean())));
        out.add(baseLarge == null ? Verdicts.ratio(Estimate.NONE, 0, shape)
                : Verdicts.ratio(baseResident.scaled(1.0 / baseLarge.key().datasetBytes()), baseLarge.key().datasetBytes(),
                shape));

        Group p2Small = smallest(byRole.apply(Phase.PHASE2));
        out.add(p2Small == null ? Verdicts.after(Estimate.NONE, 0, shape)
                : Verdicts.after(Estimate.mean(p2Small.residentStableBytes()), p2Small.key().datasetBytes(), shape));
        Pair bp2 = memoryPair(phases, Phase.BASELINE, Phase.PHASE2);
        Estimate cross = baseLarge == null || p2Small == null ? Estimate.NONE
                : Estimate.savingPct(baseLarge.residentStableBytes(), p2Small.residentStableBytes());
        out.add(bp2 == null ? Verdicts.reduction(Estimate.NONE, 0, cross)
                : Verdicts.reduction(bp2.savingPct(), bp2.b().key().datasetBytes(), cross));
        out.add(bp2 == null ? Verdicts.expectedLarge(Estimate.NONE, Estimate.NONE, 0, shape)
                : Verdicts.expectedLarge(Estimate.mean(bp2.b().residentStableBytes()), bp2.savingPct(),
                bp2.b().key().datasetBytes(), shape));

        Pair p1 = memoryPair(phases, Phase.BASELINE, Phase.PHASE1);
        Pair p1speed = speedPair(phases, Phase.BASELINE, Phase.PHASE1);
        out.add(p1 == null || p1speed == null ? Verdicts.phase1(Estimate.NONE, Estimate.NONE, Estimate.NONE, Estimate.NONE)
                : Verdicts.phase1(Estimate.exact(p1.a().stackReservedBytes().mean() - p1.b().stackReservedBytes().mean()),
                p1.saving(), p1.savingPct(), p1speed.tokensRatio(okRuns)));
        Pair p2 = memoryPair(phases, Phase.PHASE1, Phase.PHASE2);
        out.add(p2 == null ? Verdicts.phase2(Estimate.NONE, Estimate.NONE)
                : Verdicts.phase2(Estimate.exact(p2.a().hierarchyBytes().mean() - p2.b().hierarchyBytes().mean()),
                p2.saving()));
        Pair p3 = memoryPair(phases, Phase.PHASE2, Phase.PHASE3);
        out.add(p3 == null ? Verdicts.phase3(Estimate.NONE, Estimate.NONE, Estimate.NONE)
                : Verdicts.phase3(Estimate.exact(p3.a().activationBytes().mean() - p3.b().activationBytes().mean()),
                p3.saving(), p3.savingPct()));
        Pair p4 = speedPair(phases, Phase.PHASE3, Phase.PHASE4);
        PredictionSeries p4model = p4 == null ? null : seriesOf(predictions, p4.b().key());
        out.add(p4 == null ? Verdicts.phase4(Estimate.NONE, Estimate.NONE, 0, cores, Estimate.NONE, "")
                : Verdicts.phase4(p4.tokensRatio(okRuns), ceiling(okRuns, p4), p4.b().key().workers(), cores,
                predictionAt(p4model, Verdicts.ORIGINAL_WORKERS), predictionMethod(p4model)));
        Pair p5 = memoryPair(phases, Phase.PHASE4, Phase.BEYOND);
        Pair p5speed = speedPair(phases, Phase.PHASE4, Phase.BEYOND);
        out.add(p5 == null || p5speed == null ? Verdicts.beyond(Estimate.NONE, Estimate.NONE, Estimate.NONE, Estimate.NONE)
                : Verdicts.beyond(Estimate.mean(p5.a().residentStableBytes()), Estimate.mean(p5.b().residentStableBytes()),
                p5.saving(), p5speed.tokensRatio(okRuns)));
        return out;
    }

    /** The step model's predictions, per configuration and machine, from every ok run that can calibrate one. */
    static List<PredictionSeries> predictions(java.util.Collection<RunResult> runs) {
        List<PredictionSeries> out = new ArrayList<>();
        for (Predictions.Series s : Predictions.of(runs)) {
            Usl.Fit u = s.usl();
            List<ReportModel.StackPart> stack = new ArrayList<>();
            if (s.model() != null && Analysis.PREDICT_AT >= s.calibrationCores()) {
                for (StepModel.Loss l : s.model().stack(Analysis.PREDICT_AT).losses()) {
                    stack.add(new ReportModel.StackPart(l.part().label(), l.detail(), l.speedup()));
                }
            }
            out.add(new PredictionSeries(s.key().machine(), s.key().strategy(), s.key().workers(), s.key().items(),
                    s.key().preset(), s.calibrationCores(), s.calibrationRuns(), s.noModel(), s.refused(),
                    s.measuredCores(), s.curve(), u == null ? null : new ReportModel.UslSummary(u.sigma(), u.sigmaLow(),
                    u.sigmaHigh(), u.kappa(), u.kappaLow(), u.kappaHigh(), u.points(), u.coreCounts()), s.noUsl(),
                    stack));
        }
        return out;
    }

    /** The predictions of the configuration a group ran (strategy, workers, batch mode, preset, machine). */
    static PredictionSeries seriesOf(List<PredictionSeries> all, GroupKey k) {
        return all.stream().filter(s -> s.strategy().equals(k.strategy()) && s.workers() == k.workers()
                        && s.preset().equals(k.preset()) && s.machine().equals(k.machine()) && !s.curve().isEmpty()
                        && s.noModel() == null)
                .findFirst().orElse(null);
    }

    /** The predicted speedup at {@code cores} with its interval, widened by the model's validated error. */
    static Estimate predictionAt(PredictionSeries s, int cores) {
        if (s == null) {
            return Estimate.NONE;
        }
        Predictions.Entry e = s.at(cores);
        if (e == null || Double.isNaN(e.predicted())) {
            return Estimate.NONE;
        }
        double err = s.validation().stream().mapToDouble(v -> Math.abs(v.error())).max().orElse(Double.NaN);
        double low = Double.isNaN(e.predictedLow()) ? e.predicted() : e.predictedLow();
        double high = Double.isNaN(e.predictedHigh()) ? e.predicted() : e.predictedHigh();
        if (Double.isNaN(err)) {
            // never tested on a core count it did not see: no interval that a verdict could trust
            return new Estimate(e.predicted(), Double.NaN, Double.NaN, e.runs(), "not validated on this machine");
        }
        return new Estimate(e.predicted(), low / (1 + err), high * (1 + err), e.runs(),
                "step model, widened by its largest validated error");
    }

    /** How the prediction was made and tested, for the verdict's text. */
    static String predictionMethod(PredictionSeries s) {
        if (s == null) {
            return "no step model for this configuration";
        }
        List<Predictions.Entry> v = s.validation();
        String tested = v.isEmpty() ? "not tested on another core count in this folder (add the calibration run at"
                + " 1 CPU)" : "tested at " + v.stream().map(e -> e.cores() + " cores: " + Fmt.signedPct(100 * e.error()))
                .collect(Collectors.joining(", ")) + " against the measured speedup";
        Predictions.Entry at64 = s.at(64);
        return "step model calibrated at " + s.calibrationCores() + (s.calibrationCores() == 1 ? " core" : " cores")
                + " (" + s.calibrationRuns().size() + " runs), " + tested
                + (at64 == null ? "" : "; at 64 cores ×" + Fmt.num(at64.predicted(), 1));
    }

    /** This machine's ceiling for a speedup: the FMA loop on two threads over one, measured in the pair's runs. */
    static Estimate ceiling(Map<GroupKey, List<RunResult>> okRuns, Pair p) {
        List<Double> ratios = new ArrayList<>();
        for (Group g : List.of(p.a(), p.b())) {
            for (RunResult r : okRuns.getOrDefault(g.key(), List.of())) {
                if (r.machine() != null && !Double.isNaN(r.machine().fmaTwoThreadRatio())) {
                    ratios.add(r.machine().fmaTwoThreadRatio());
                }
            }
        }
        return ratios.isEmpty() ? Estimate.NONE : Estimate.mean(Summary.of(ratios));
    }

    private static Group largest(List<Group> gs) {
        return gs.stream().max(Comparator.comparingLong(g -> g.key().datasetBytes())).orElse(null);
    }

    private static Group smallest(List<Group> gs) {
        return gs.stream().min(Comparator.comparingLong(g -> g.key().datasetBytes())).orElse(null);
    }

    /** Two phases measured on the same dataset, preset, suite and machine. */
    record Pair(Group a, Group b) {
        /** Resident saved from a to b (a − b), Welch interval. */
        Estimate saving() {
            return Estimate.difference(a.residentStableBytes(), b.residentStableBytes());
        }

        /** Resident saved from a to b in % of a. */
        Estimate savingPct() {
            return Estimate.savingPct(a.residentStableBytes(), b.residentStableBytes());
        }

        /** b's tokens/s over a's, pairing the runs of one repetition (they ran next to each other). */
        Estimate tokensRatio(Map<GroupKey, List<RunResult>> okRuns) {
            return Estimate.pairedRatio(byRepetition(okRuns.getOrDefault(b.key(), List.of())),
                    byRepetition(okRuns.getOrDefault(a.key(), List.of())));
        }

        private static Map<Integer, Double> byRepetition(List<RunResult> rs) {
            Map<Integer, Double> m = new TreeMap<>();
            for (RunResult r : rs) {
                m.put(r.config() == null ? m.size() + 1 : r.config().repetition(), r.training().tokensPerSecond());
            }
            return m;
        }
    }

    /** The pair for a memory claim: the largest dataset both phases ran on. */
    static Pair memoryPair(List<Group> phases, Phase from, Phase to) {
        Pair best = null;
        for (Group a : phases) {
            if (a.ok() == 0 || !isPhase(a.key(), from)) {
                continue;
            }
            Group b = find(phases, a.key(), to);
            if (b != null && (best == null || a.key().datasetBytes() > best.a().key().datasetBytes())) {
                best = new Pair(a, b);
            }
        }
        return best;
    }

    /**
     * The pair for a throughput claim: a dataset whose runs were measured for a time (the suite spends its
     * measuring there), the largest such; else the largest dataset both phases ran on.
     */
    static Pair speedPair(List<Group> phases, Phase from, Phase to) {
        Pair best = null;
        for (Group a : phases) {
            if (a.ok() == 0 || !isPhase(a.key(), from)) {
                continue;
            }
            Group b = find(phases, a.key(), to);
            if (b == null) {
                continue;
            }
            boolean timed = a.timed() && b.timed();
            boolean bestTimed = best != null && best.a().timed() && best.b().timed();
            if (best == null || timed && !bestTimed
                    || timed == bestTimed && a.key().datasetBytes() > best.a().key().datasetBytes()) {
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
            // the reference is the smallest configuration: fewest CPUs (an unpinned run has them all), then workers
            List<Group> sorted = gs.stream().sorted(Comparator.comparingInt((Group g) -> g.key().cpus() > 0
                    ? g.key().cpus() : cores > 0 ? cores : Integer.MAX_VALUE).thenComparingInt(g -> g.key().workers())).toList();
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
                points.add(new ScalingPoint(g.key().workers(), g.key().cpus(), t, s, hw));
            }
            Group top = sorted.get(sorted.size() - 1);
            // Predictions beyond this machine come from the step model (predictionSeries), calibrated and
            // tested on held-out core counts; a speedup against workers is shown as measured only.
            out.add(new ScalingSeries(k.strategy(), k.preset(), k.dataset(), ref.key().workers(), points,
                    top.serializationIndex().mean(), Double.NaN, "none", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    cores));
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
