package org.cllmlab.reports.predict;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.reports.Summary;

/**
 * Speedup predictions from result files, checked against the core counts that were measured: for every
 * configuration on every machine, the {@link StepModel} calibrated at the fewest cores measured, its curve
 * at 1 … {@value StepModel#MAX_CORES} cores, the measured speedups beside it with their error, and the
 * {@link Usl} fit where enough core counts were measured. Pure: the same runs give equal series.
 *
 * <p><b>Series.</b> Runs form one series when they share a machine ({@link Provenance#machine()}: host, CPU
 * model and cores) and everything that sets a step's work: strategy, threads, hierarchy, caches, workers,
 * batch mode, items per step, the model's shape and the kernels. They differ only in the cores they ran on
 * (the cores their JVM saw) and in repetition. Machines are never mixed.
 *
 * <p><b>Calibration.</b> The runs at the fewest cores from which {@link Calibration#from} accepts at least
 * one; runs it refuses are listed with the reason. Each accepted repetition calibrates a model; the curve is
 * the model of their mean calibration, and its 95% interval is Student-t over the repetitions' own
 * predictions (none with one repetition).
 *
 * <p><b>Measured speedup</b> at N is the ratio of mean throughputs (tokens per second of the measured
 * steps) at N and at the calibration's cores, with a 95% interval by the delta method for a ratio of
 * independent means. The error is {@code predicted / measured − 1}. Every figure beyond twice the largest
 * measured core count is marked as an extrapolation.
 *
 * <p><b>USL.</b> Fitted to the runs at core counts up to {@code min(W, B)}: beyond that, at most that many
 * workers are busy, which is the batch's granularity, not contention, and a fit would read the flat tail as
 * coherency cost. Its curve beyond {@code min(W, B)} stays at its value there.
 */
public final class Predictions {

    private Predictions() {
    }

    /** What the runs of one series share. */
    public record Key(String machine, String strategy, String threads, String hierarchy, String caches, int workers,
                      String batchMode, int items, String preset, int dModel, int layers, int heads, int dFf, int seq,
                      int vocab, String kernels) {
    }

    /**
     * One core count of a series.
     *
     * @param strategy      the series' strategy
     * @param cores         N
     * @param predicted     the step model's speedup at N over the calibration's cores (NaN without a model)
     * @param predictedLow  its 95% interval over the calibration's repetitions (NaN with one)
     * @param predictedHigh its 95% interval's upper end
     * @param measured      the measured speedup, or null where N was not measured
     * @param measuredLow   its 95% interval (null where not measured, NaN with one run on either side)
     * @param measuredHigh  its upper end
     * @param error         {@code predicted / measured − 1}, or null where not measured and at the calibration's cores
     * @param runs          the runs measured at N
     * @param calibration   whether N is the calibration's core count (there both speedups are 1 by definition)
     * @param extrapolation whether N is beyond twice the largest measured core count
     * @param usl           the USL fit's speedup at N over the calibration's cores (NaN without a fit)
     * @param uslLow        its 95% band (delta method)
     * @param uslHigh       its upper end
     */
    public record Entry(String strategy, int cores, double predicted, double predictedLow, double predictedHigh,
                        Double measured, Double measuredLow, Double measuredHigh, Double error, int runs,
                        boolean calibration, boolean extrapolation, double usl, double uslLow, double uslHigh) {
    }

    /**
     * One configuration on one machine.
     *
     * @param key              what its runs share
     * @param calibrationCores the cores the model was calibrated at (the fewest measured, without a model)
     * @param calibrationRuns  the runs that calibrated it (empty without a model)
     * @param model            the model of their mean calibration, or null
     * @param noModel          why there is no model, or null
     * @param refused          runs at or below the calibration's cores that could not calibrate, each "runId: reason"
     * @param measuredCores    the core counts measured, ascending
     * @param curve            one entry per core count, 1 … {@value StepModel#MAX_CORES}
     * @param usl              the USL fit, or null
     * @param noUsl            why there is no fit, or null
     */
    public record Series(Key key, int calibrationCores, List<String> calibrationRuns, StepModel model, String noModel,
                         List<String> refused, List<Integer> measuredCores, List<Entry> curve, Usl.Fit usl,
                         String noUsl) {
        public Series {
            calibrationRuns = List.copyOf(calibrationRuns);
            refused = List.copyOf(refused);
            measuredCores = List.copyOf(measuredCores);
            curve = List.copyOf(curve);
        }

        /** The entry at {@code cores}. */
        public Entry at(int cores) {
            return curve.get(cores - 1);
        }

        /** The held-out checks: measured core counts other than the calibration's, with their error. */
        public List<Entry> validation() {
            return curve.stream().filter(e -> e.measured() != null && !e.calibration()).toList();
        }

        /** The largest core count measured. */
        public int largestMeasured() {
            return measuredCores.get(measuredCores.size() - 1);
        }
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::machine).thenComparing(Key::strategy)
            .thenComparingInt(Key::workers).thenComparingInt(Key::items).thenComparing(Key::threads)
            .thenComparing(Key::hierarchy).thenComparing(Key::caches).thenComparing(Key::batchMode)
            .thenComparing(Key::preset).thenComparingInt(Key::dModel).thenComparingInt(Key::layers)
            .thenComparingInt(Key::heads).thenComparingInt(Key::dFf).thenComparingInt(Key::seq)
            .thenComparingInt(Key::vocab).thenComparing(Key::kernels);

    /**
     * The series of {@code runs}. Failed runs, and runs without training figures or without a record of their
     * cores, are no measurement and are left out.
     */
    public static List<Series> of(Collection<RunResult> runs) {
        Map<Key, List<RunResult>> groups = new TreeMap<>(ORDER);
        for (RunResult r : runs) {
            // a single cold step (a memory measurement) times the JIT's first pass, not the step
            if (r.ok() && r.config() != null && r.training() != null && r.config().seq() > 0 && cores(r) > 0
                    && r.config().measuresThroughput()) {
                groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<Series> out = new ArrayList<>();
        groups.forEach((k, rs) -> out.add(series(k, rs.stream().sorted(Comparator.comparing(RunResult::runId)).toList())));
        return out;
    }

    static Key key(RunResult r) {
        RunConfig c = r.config();
        Provenance p = r.provenance();
        return new Key(p == null ? "unknown machine" : p.machine(), orUnknown(c.strategy()), orUnknown(c.threads()),
                orUnknown(c.hierarchy()), orUnknown(c.caches()), c.workers(), orUnknown(c.batchMode()),
                (int) (r.training().tokensPerStep() / c.seq()), orUnknown(c.preset()), c.dModel(), c.layers(), c.heads(),
                c.dFf(), c.seq(), c.vocab(), p == null ? "?" : orUnknown(p.kernels()));
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }

    /** The cores a run had: those its JVM saw, else those it was limited to, else the machine's. */
    static int cores(RunResult r) {
        if (r.contention() != null && r.contention().phases() != null && r.contention().phases().cores() > 0) {
            return r.contention().phases().cores();
        }
        if (r.config().cpus() > 0) {
            return r.config().cpus();
        }
        return r.provenance() == null ? 0 : r.provenance().cores();
    }

    static Series series(Key key, List<RunResult> runs) {
        Map<Integer, List<RunResult>> byCores = new TreeMap<>();
        runs.forEach(r -> byCores.computeIfAbsent(cores(r), n -> new ArrayList<>()).add(r));
        List<Integer> measured = List.copyOf(byCores.keySet());

        // The calibration: the fewest cores at which some run calibrates.
        List<String> refused = new ArrayList<>();
        List<Calibration> calibrations = new ArrayList<>();
        int calibrationCores = measured.get(0);
        for (var e : byCores.entrySet()) {
            for (RunResult r : e.getValue()) {
                Attempt<Calibration> a = Calibration.from(r);
                if (a.ok()) {
                    calibrations.add(a.value());
                } else {
                    refused.add(r.runId() + ": " + a.refusal());
                }
            }
            if (!calibrations.isEmpty()) {
                calibrationCores = e.getKey();
                break;
            }
        }
        StepModel model = null;
        List<StepModel> repetitions = List.of();
        String noModel = null;
        if (calibrations.isEmpty()) {
            noModel = "no run calibrates a step model: " + refused.stream().map(s -> s.substring(s.indexOf(": ") + 2))
                    .distinct().collect(Collectors.joining("; "));
        } else {
            model = new StepModel(Calibration.mean(calibrations));
            repetitions = calibrations.stream().map(StepModel::new).toList();
        }

        Map<Integer, Summary> throughput = new LinkedHashMap<>();
        byCores.forEach((n, rs) -> throughput.put(n, Summary.of(rs.stream().mapToDouble(r -> r.training().tokensPerSecond()).toArray())));
        Summary reference = throughput.get(calibrationCores);

        int busiest = Math.min(key.workers(), key.items());
        List<Usl.Point> points = new ArrayList<>();
        int aboveBusy = 0;
        for (var e : byCores.entrySet()) {
            for (RunResult r : e.getValue()) {
                if (e.getKey() <= busiest) {
                    points.add(new Usl.Point(e.getKey(), r.training().tokensPerSecond()));
                } else {
                    aboveBusy++;
                }
            }
        }
        Attempt<Usl.Fit> fit = Usl.fit(points);
        String noUsl = fit.ok() ? null : fit.refusal() + (aboveBusy == 0 ? "" : " (" + aboveBusy + " runs above "
                + busiest + " cores left out: no more than " + busiest + " workers are busy at once)");

        int largest = measured.get(measured.size() - 1);
        List<Entry> curve = new ArrayList<>(StepModel.MAX_CORES);
        for (int n = 1; n <= StepModel.MAX_CORES; n++) {
            curve.add(entry(key, n, calibrationCores, model, repetitions, throughput, reference, fit.value(), busiest,
                    largest));
        }
        return new Series(key, calibrationCores, calibrations.stream().map(Calibration::runId).toList(), model, noModel,
                refused, measured, curve, fit.value(), noUsl);
    }

    private static Entry entry(Key key, int n, int calibrationCores, StepModel model, List<StepModel> repetitions,
                               Map<Integer, Summary> throughput, Summary reference, Usl.Fit fit, int busiest,
                               int largest) {
        double predicted = Double.NaN, low = Double.NaN, high = Double.NaN;
        if (model != null) {
            predicted = model.speedup(n);
            Summary spread = Summary.of(repetitions.stream().mapToDouble(m -> m.speedup(n)).toArray());
            if (spread.hasInterval()) {
                low = predicted - spread.halfWidth();
                high = predicted + spread.halfWidth();
            }
        }
        boolean atCalibration = n == calibrationCores;
        Double measured = null, measuredLow = null, measuredHigh = null, error = null;
        Summary t = throughput.get(n);
        int runs = t == null ? 0 : t.n();
        if (t != null) {
            double s = t.mean() / reference.mean();
            // delta method for a ratio of independent means; the reference is 1 by definition
            double half = atCalibration ? Double.NaN : t.hasInterval() && reference.hasInterval()
                    ? s * Math.hypot(t.halfWidth() / t.mean(), reference.halfWidth() / reference.mean()) : Double.NaN;
            measured = s;
            measuredLow = s - half;
            measuredHigh = s + half;
            if (!atCalibration && model != null) {
                error = predicted / s - 1;
            }
        }
        double usl = Double.NaN, uslLow = Double.NaN, uslHigh = Double.NaN;
        if (fit != null) {
            Usl.Interval band = fit.band(Math.min(n, busiest), calibrationCores);
            usl = band.value();
            uslLow = band.low();
            uslHigh = band.high();
        }
        return new Entry(key.strategy(), n, predicted, low, high, measured, measuredLow, measuredHigh, error, runs,
                atCalibration, n > 2 * largest, usl, uslLow, uslHigh);
    }
}
