package org.cllmlab.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * The whole analysis of a result directory, computed once and rendered by every {@link ReportFormat}, so
 * that the Markdown, HTML, CSV and JSON outputs can never disagree. Immutable; lists are sorted.
 * Undefined figures are {@code NaN} (rendered "n/a", or "n=1" for an interval from one run).
 *
 * @param directory  the result directory's name as given
 * @param inputs     run files read, JMH and efficiency files read, foreign files skipped and files unreadable
 * @param groups     repetitions of the same configuration, summarised
 * @param phases     the phase table rows (every group outside scaling sweeps)
 * @param memoryBars stacked memory breakdowns, one per phase row with measurements
 * @param verdicts   the original's claims against the measured figures
 * @param scaling    speedup against workers per strategy
 * @param contention where worker time went, per group with measurements
 * @param jmh        JMH benchmark results
 * @param efficiency {@code ./lab efficiency} files, sorted by file; products in each file's order
 * @param provenance machines, JVMs, commits and run configurations
 * @param memory     how the resident figures the verdicts use were measured
 * @param judged     the machine the verdicts were judged on, and the runs of other machines left out of them
 * @param predictionSeries the step model's speedup predictions, per configuration and machine
 */
public record ReportModel(String directory, InputsSummary inputs, List<Group> groups, List<PhaseRow> phases,
                          List<MemoryBar> memoryBars, List<Verdict> verdicts, List<ScalingSeries> scaling,
                          List<ContentionRow> contention, List<JmhResult> jmh, List<EfficiencyResult> efficiency,
                          ProvenanceSummary provenance, MemoryMethod memory, Judged judged,
                          List<PredictionSeries> predictionSeries) {

    /**
     * The smallest dataset for which "resident / dataset" is shown. Below it the JVM's own fixed memory (a
     * few hundred MiB) dominates, and the ratio says how small the dataset is, not how memory grows with it.
     */
    public static final long RATIO_MIN_DATASET_BYTES = 1L << 20;

    /** Whether the original's resident / dataset ratio means something for a dataset of this size. */
    public static boolean ratioMeaningful(long datasetBytes) {
        return datasetBytes >= RATIO_MIN_DATASET_BYTES;
    }

    public ReportModel {
        groups = List.copyOf(groups);
        phases = List.copyOf(phases);
        memoryBars = List.copyOf(memoryBars);
        verdicts = List.copyOf(verdicts);
        scaling = List.copyOf(scaling);
        contention = List.copyOf(contention);
        jmh = List.copyOf(jmh);
        efficiency = List.copyOf(efficiency);
        predictionSeries = List.copyOf(predictionSeries);
    }

    /**
     * Every prediction, flat: one entry per strategy (configuration, machine) and predicted core count, with the
     * measured speedup where that core count was measured.
     */
    @JsonProperty("predictions")
    public List<Prediction> predictions() {
        List<Prediction> out = new java.util.ArrayList<>();
        for (PredictionSeries s : predictionSeries) {
            for (org.cllmlab.reports.predict.Predictions.Entry e : s.curve()) {
                out.add(new Prediction(s.strategy(), s.machine(), s.workers(), s.items(), e.cores(), e.predicted(),
                        e.predictedLow(), e.predictedHigh(), e.measured(), e.error(), e.calibration(), e.extrapolation()));
            }
        }
        return out;
    }

    /**
     * A predicted speedup.
     *
     * @param predicted     the step model's speedup at {@code cores} over the calibration's cores
     * @param measured      the measured speedup at {@code cores}, where it was measured (else null)
     * @param error         predicted / measured − 1, where measured (else null)
     * @param extrapolation whether {@code cores} is beyond twice the largest measured core count
     */
    public record Prediction(String strategy, String machine, int workers, int items, int cores, double predicted,
                             double predictedLow, double predictedHigh, Double measured, Double error,
                             boolean calibration, boolean extrapolation) {
    }

    /**
     * One configuration's predictions (a strategy with its workers and items per step, on one machine).
     *
     * @param calibrationCores the cores the model was calibrated at
     * @param calibrationRuns  the runs that calibrated it
     * @param noModel          why there is no model (null with one)
     * @param refused          runs refused as calibrations, with the reason
     * @param measuredCores    the core counts measured
     * @param curve            every core count 1 … 128
     * @param usl              the USL fit, or null
     * @param noUsl            why there is no USL fit (null with one)
     * @param stack            where the speedup at 64 cores is lost, by part (empty without a model)
     */
    public record PredictionSeries(String machine, String strategy, int workers, int items, String preset,
                                   int calibrationCores, List<String> calibrationRuns, String noModel,
                                   List<String> refused, List<Integer> measuredCores,
                                   List<org.cllmlab.reports.predict.Predictions.Entry> curve, UslSummary usl,
                                   String noUsl, List<StackPart> stack) {
        public PredictionSeries {
            calibrationRuns = List.copyOf(calibrationRuns);
            refused = List.copyOf(refused);
            measuredCores = List.copyOf(measuredCores);
            curve = List.copyOf(curve);
            stack = List.copyOf(stack);
        }

        /** The entry at {@code cores} (1-based), or null beyond the curve. */
        public org.cllmlab.reports.predict.Predictions.Entry at(int cores) {
            return cores >= 1 && cores <= curve.size() ? curve.get(cores - 1) : null;
        }

        /** The entries at a measured core count other than the calibration's: the model's test. */
        public List<org.cllmlab.reports.predict.Predictions.Entry> validation() {
            return curve.stream().filter(e -> e.measured() != null && !e.calibration() && e.error() != null).toList();
        }
    }

    /** A USL fit's coefficients with their 95% intervals. */
    public record UslSummary(double sigma, double sigmaLow, double sigmaHigh, double kappa, double kappaLow,
                             double kappaHigh, int points, int coreCounts) {
    }

    /** One part of the speedup lost against the ideal at 64 cores. */
    public record StackPart(String part, String detail, double speedup) {
    }

    /**
     * How the resident figures the memory verdicts use were measured, for the report to name.
     *
     * @param method  in words (the runs' own description of it)
     * @param runs    runs measured that way
     * @param others  runs without it (older files): their sampled peak stands in, GC slack included
     */
    public record MemoryMethod(String method, int runs, int others) {
    }

    /**
     * The machine the verdicts and speedups were judged on, when a folder holds runs of several.
     *
     * @param machine the machine (host, CPU model, cores): the one with the most ok phase runs
     * @param leftOut runs of other machines, left out of the verdicts (their own groups stay in the tables)
     */
    public record Judged(String machine, List<String> leftOut) {
        public Judged {
            leftOut = List.copyOf(leftOut);
        }
    }

    /**
     * Counts of what was read.
     *
     * @param ignoredFiles    foreign JSON files, skipped (the suite runner's own files are not among them)
     * @param unreadableFiles files that could not be read, with the reason; the report leaves them out
     */
    public record InputsSummary(int runFiles, int okRuns, int failedRuns, int jmhBenchmarks, int efficiencyFiles,
                                List<String> ignoredFiles, List<ResultLoader.Unreadable> unreadableFiles) {
        public InputsSummary {
            ignoredFiles = List.copyOf(ignoredFiles);
            unreadableFiles = List.copyOf(unreadableFiles);
        }

        /** Inputs that were all readable. */
        public InputsSummary(int runFiles, int okRuns, int failedRuns, int jmhBenchmarks, int efficiencyFiles,
                             List<String> ignoredFiles) {
            this(runFiles, okRuns, failedRuns, jmhBenchmarks, efficiencyFiles, ignoredFiles, List.of());
        }
    }

    /**
     * What makes runs repetitions of one another: everything in the config except repetition and seed, and the
     * machine they ran on (runs of different machines are never summarised together).
     *
     * @param role    the runs' part in the original's phases (its id), or null
     * @param machine the machine: host, CPU model and cores
     * @param cpus    the CPUs the runs were limited to (0: all of the machine's)
     */
    public record GroupKey(String suite, String label, String preset, long datasetBytes, String strategy,
                           String threads, String hierarchy, String caches, int workers, String batchMode, int steps,
                           String role, String machine, int cpus) {
        /** A short, unique-enough row name. */
        public String name() {
            return label + " @ " + Fmt.bytes(datasetBytes) + " data";
        }

        /** This key on another machine. */
        public GroupKey withMachine(String other) {
            return new GroupKey(suite, label, preset, datasetBytes, strategy, threads, hierarchy, caches, workers,
                    batchMode, steps, role, other, cpus);
        }
    }

    /**
     * Repetitions of one configuration. Memory figures are per-run peaks summarised over the ok runs.
     *
     * @param runIds              every run of the group, ok or failed
     * @param failures            distinct failure reasons (first line each)
     * @param tokensPerSecond     measured tokens per wall second
     * @param residentPeakBytes   peak RSS (resident)
     * @param heapCommittedBytes  peak heap committed (committed)
     * @param heapUsedBytes       peak heap used (used)
     * @param stackReservedBytes  thread stacks reserved
     * @param stackCommittedBytes thread stacks committed (NMT); n=0 without NMT
     * @param hierarchyBytes      ledgered hierarchy bytes
     * @param activationBytes     ledgered activation cache bytes
     * @param residentToDataset   resident peak / dataset bytes; reports show it only when
     *                            {@link #residentToDatasetMeaningful()}
     * @param serializationIndex  share of worker time waiting or serial
     * @param wallSeconds         wall time of the measured steps
     * @param cpuSeconds          process CPU time of the measured steps
     * @param finalLoss           training loss at the last step
     * @param setupPeakBytes      peak RSS while the corpus was generated and tokenized, before training
     *                            (the other memory figures are training's); n=0 for older result files
     * @param residentStableBytes resident after a full collection at the peak (resident): the figure the
     *                            memory verdicts use, stable between runs
     * @param gcSlackBytes        sampled peak minus that: garbage not yet collected and free heap pages
     * @param mfu                 model-FLOP utilisation: model FLOPs per second over the FMA peak measured in
     *                            the run times the cores its workers could use; n=0 for older result files
     * @param timed               whether the runs measured for a time (their throughput is the one judged)
     * @param measuresThroughput  whether the runs measured throughput at all (not single cold steps run for
     *                            their memory figures, whose tokens/s is the JIT's first pass)
     */
    public record Group(GroupKey key, List<String> runIds, int ok, int failed, List<String> failures,
                        Summary tokensPerSecond, Summary residentPeakBytes, Summary heapCommittedBytes,
                        Summary heapUsedBytes, Summary stackReservedBytes, Summary stackCommittedBytes,
                        Summary hierarchyBytes, Summary activationBytes, Summary residentToDataset,
                        Summary serializationIndex, Summary wallSeconds, Summary cpuSeconds, Summary finalLoss,
                        Summary setupPeakBytes, Summary residentStableBytes, Summary gcSlackBytes, Summary mfu,
                        boolean timed, boolean measuresThroughput) {
        public Group {
            runIds = List.copyOf(runIds);
            failures = List.copyOf(failures);
        }

        /** Whether the dataset is large enough for {@link #residentToDataset} to mean something. */
        @JsonProperty("residentToDatasetMeaningful")
        public boolean residentToDatasetMeaningful() {
            return ratioMeaningful(key.datasetBytes());
        }

        /** "ok", "failed: reason" when no run succeeded, or "ok (k of n failed: reason)". */
        @JsonProperty("status")
        public String status() {
            if (ok == 0) {
                return "failed: " + (failures.isEmpty() ? "no reason recorded" : String.join("; ", failures));
            }
            if (failed > 0) {
                return "ok (" + failed + " of " + (ok + failed) + " failed: " + String.join("; ", failures) + ")";
            }
            return "ok";
        }
    }

    /**
     * One row of the phase table.
     *
     * @param group                  the configuration's figures
     * @param residentReductionPct   reduction of mean resident peak against the baseline of the same dataset,
     *                               preset and suite, in % (NaN without a measured baseline)
     */
    public record PhaseRow(Group group, double residentReductionPct) {
    }

    /** One segment of a stacked memory bar: a breakdown row averaged over the ok runs. */
    public record Segment(String name, String group, String kind, double bytes) {
    }

    /**
     * A phase's resident peak split by ledger and JVM category. The residual "unaccounted" segment may be
     * negative when the categories (some committed rather than resident) add up to more than the peak.
     */
    public record MemoryBar(GroupKey key, double residentPeakBytes, List<Segment> segments, String note) {
        public MemoryBar {
            segments = List.copyOf(segments);
        }
    }

    public enum Outcome {
        HELD("held"), PARTLY_HELD("partly held"), DID_NOT_HOLD("did not hold"), INCONCLUSIVE("inconclusive"),
        NOT_COMPARABLE("not comparable"), NOT_MEASURED("not measured");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }
    }

    /**
     * A claim of the original next to what was measured here.
     *
     * @param estimate the figure the outcome was decided on, with its 95% interval
     * @param figure   what that figure is (e.g. "resident", "tokens/s ratio")
     */
    public record Verdict(String id, String claim, String measured, Outcome outcome, String why, Estimate estimate,
                          String figure) {
    }

    /**
     * Speedup at one worker count on one number of CPUs; {@code speedupHalfWidth} is NaN when fewer than two
     * runs on either side.
     *
     * @param cpus the CPUs the runs were pinned to, 0 when they had the whole machine
     */
    public record ScalingPoint(int workers, int cpus, Summary tokensPerSecond, double speedup, double speedupHalfWidth) {
    }

    /**
     * Speedup against workers for one strategy (measured), and models fitted to it (predictions).
     *
     * @param referenceWorkers   the worker count speedup is relative to (1 when measured)
     * @param serializationIndex mean serialization index at the largest measured worker count
     * @param amdahlAt64         Amdahl prediction at 64 from the serialization index
     * @param fit                "usl", "karp-flatt" or "none"
     * @param uslAlpha           USL contention coefficient (NaN unless fit is usl)
     * @param uslBeta            USL coherency coefficient (NaN unless fit is usl)
     * @param karpFlatt          Karp–Flatt serial fraction at the largest worker count (NaN unless fit is karp-flatt)
     * @param fittedAt64         prediction at 64 from the fit
     * @param cores              cores of the machine that measured it
     */
    public record ScalingSeries(String strategy, String preset, long datasetBytes, int referenceWorkers,
                                List<ScalingPoint> points, double serializationIndex, double amdahlAt64, String fit,
                                double uslAlpha, double uslBeta, double karpFlatt, double fittedAt64, int cores) {
        public ScalingSeries {
            points = List.copyOf(points);
        }

        /** Whether the sweep varies the CPUs the runs were pinned to at one worker count (else it varies workers). */
        public boolean overCpus() {
            return points.stream().mapToInt(ScalingPoint::cpus).distinct().count() > 1
                    && points.stream().mapToInt(ScalingPoint::workers).distinct().count() == 1;
        }

        /** The sweep's x: the CPUs where it varies them, else the workers. */
        public int x(ScalingPoint p) {
            return overCpus() ? usableCores(p) : p.workers();
        }

        /** The cores a point's runs could use: their pinned CPUs, else the machine's (0 when not known). */
        public int usableCores(ScalingPoint p) {
            return p.cpus() > 0 ? p.cpus() : cores;
        }

        /** The ideal speedup of a point over the reference: cores that can be busy, over the reference's. */
        public double ideal(ScalingPoint p) {
            ScalingPoint ref = points.get(0);
            return busy(p) / (double) busy(ref);
        }

        private int busy(ScalingPoint p) {
            int c = usableCores(p);
            return c > 0 ? Math.min(p.workers(), c) : p.workers();
        }

        /** The reference point in words: "1 worker", "2 workers on 1 CPU". */
        public String referenceName() {
            ScalingPoint ref = points.get(0);
            String w = ref.workers() == 1 ? "1 worker" : ref.workers() + " workers";
            return ref.cpus() > 0 ? w + " on " + ref.cpus() + (ref.cpus() == 1 ? " CPU" : " CPUs") : w;
        }
    }

    /** Contention figures of one group, means over its ok runs, in seconds summed over workers. */
    public record ContentionRow(GroupKey key, int runs, double workerWallSeconds, double lockHoldSeconds,
                                double lockWaitSeconds, double barrierWaitSeconds, double reductionSeconds,
                                double optimizerSeconds, double blockedSeconds, double waitedSeconds,
                                double serializationIndex) {
    }

    /** Where the results came from. */
    public record ProvenanceSummary(List<String> machines, List<String> jvms, List<String> jvmFlags, List<String> commits,
                                    List<String> kernels, String firstStartedAt, String lastStartedAt,
                                    int cores, List<RunLine> runs) {
        public ProvenanceSummary {
            machines = List.copyOf(machines);
            jvms = List.copyOf(jvms);
            jvmFlags = List.copyOf(jvmFlags);
            commits = List.copyOf(commits);
            kernels = List.copyOf(kernels);
            runs = List.copyOf(runs);
        }
    }

    /** One run's configuration as read. */
    public record RunLine(String file, String runId, String suite, String status, String label, String preset,
                          long datasetBytes, String strategy, String threads, String hierarchy, String caches,
                          int workers, String batchMode, int steps, int warmup, int repetition, long seed,
                          String jvmOptions, String startedAt) {
    }
}
