package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;

/**
 * Repetitions summarised: mean, standard deviation and a 95% Student-t confidence interval of tokens/s
 * and of peak resident memory, per run group (a label, its swept values, preset, dataset and workers).
 */
public final class SuiteSummary {

    /**
     * Mean, sample standard deviation and the 95% confidence interval of the mean; the spread and interval
     * are NaN for fewer than two values.
     */
    public record Stats(int n, double mean, double sd, double ciLow, double ciHigh) {
        static Stats of(List<Double> values) {
            SummaryStatistics s = new SummaryStatistics();
            values.forEach(s::addValue);
            int n = (int) s.getN();
            if (n == 0) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            if (n == 1) {
                return new Stats(1, s.getMean(), Double.NaN, Double.NaN, Double.NaN);
            }
            double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
            double half = t * s.getStandardDeviation() / Math.sqrt(n);
            return new Stats(n, s.getMean(), s.getStandardDeviation(), s.getMean() - half, s.getMean() + half);
        }
    }

    /**
     * One row: a run group.
     *
     * @param group         the run id without its repetition
     * @param label         the runs' label
     * @param dataset       the data's size or file name
     * @param ok            finished runs
     * @param failed        failed runs
     * @param tokensPerSecond tokens/s of the ok runs
     * @param peakRssMiB    peak resident memory of the ok runs, MiB
     */
    public record Row(String group, String label, String dataset, int ok, int failed, Stats tokensPerSecond,
                      Stats peakRssMiB) {
    }

    private SuiteSummary() {
    }

    /** Reads every result file in {@code dir} (not its sub-folders), in the order the runs started. */
    public static List<RunResult> results(Path dir) throws IOException {
        List<RunResult> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                if (f.getFileName().toString().equals(SuiteRunner.SUITE_FILE)) {
                    continue;
                }
                try {
                    out.add(Results.read(f));
                } catch (IOException | RuntimeException e) {
                    // not a result file; the runner redoes unreadable results
                }
            }
        }
        out.sort(Comparator.comparing((RunResult r) -> r.provenance() == null || r.provenance().startedAt() == null
                ? "~" : r.provenance().startedAt()).thenComparing(RunResult::runId));
        return out;
    }

    public static List<Row> rows(List<RunResult> results) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            groups.computeIfAbsent(r.runId().replaceFirst("-r\\d+$", ""), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((group, rs) -> {
            List<Double> tps = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            int failed = 0;
            for (RunResult r : rs) {
                if (r.ok() && r.training() != null && r.memory() != null) {
                    tps.add(r.training().tokensPerSecond());
                    rss.add(r.memory().peakResidentBytes() / (1024.0 * 1024.0));
                } else {
                    failed++;
                }
            }
            RunResult first = rs.get(0);
            String label = first.config() != null ? first.config().label() : group;
            String dataset = first.config() == null ? "?" : first.config().corpus() != null
                    && !first.config().corpus().startsWith("embedded")
                    ? Path.of(first.config().corpus()).getFileName().toString()
                    : RunSpec.sizeName(first.config().datasetBytes());
            rows.add(new Row(group, label, dataset, tps.size(), failed, Stats.of(tps), Stats.of(rss)));
        });
        return rows;
    }

    /** Prints the compact table. */
    public static void print(List<Row> rows, PrintWriter out) {
        int w = Math.max(24, rows.stream().mapToInt(r -> r.group().length()).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + w + "s %4s %4s  %-36s  %-42s%n", "run", "ok", "fail",
                "tokens/s (wall): mean ± sd [95% CI]", "peak RSS MiB (resident): mean ± sd [95% CI]");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-" + w + "s %4d %4d  %-36s  %-42s%n", r.group(), r.ok(), r.failed(),
                    format(r.tokensPerSecond(), "%.0f"), format(r.peakRssMiB(), "%.1f"));
        }
        out.flush();
    }

    static String format(Stats s, String f) {
        if (s.n() == 0) {
            return "-";
        }
        String mean = String.format(Locale.ROOT, f, s.mean());
        if (s.n() == 1) {
            return mean + " (n=1)";
        }
        return mean + " ± " + String.format(Locale.ROOT, f, s.sd()) + " [" + String.format(Locale.ROOT, f, s.ciLow())
                + ", " + String.format(Locale.ROOT, f, s.ciHigh()) + "]";
    }
}
