package org.cllmlab.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cllmlab.reports.ReportModel.Group;
import org.cllmlab.reports.ReportModel.GroupKey;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.PhaseRow;
import org.cllmlab.reports.ReportModel.ScalingPoint;
import org.cllmlab.reports.ReportModel.ScalingSeries;
import org.cllmlab.reports.ReportModel.Segment;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for the HTML report, drawn with XChart and encoded as PNG. Rendering uses no clock and no random
 * state, so the same model gives the same bytes on the same JDK and fonts; other machines may differ in
 * font rasterisation, which is why golden tests pin the text formats only.
 */
final class Charts {

    private Charts() {
    }

    static String dataUri(Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a legend names a row's kind, so that a stand-in figure is never read as what the bar totals. */
    static String kindLabel(String kind) {
        return switch (kind) {
            case "used" -> "used heap, resident";
            case "committed" -> "committed, stands in for resident";
            default -> kind;
        };
    }

    /**
     * Stacked bars of one dataset's phases by category: each bar is the mean resident peak split into the
     * breakdown's rows, each legend entry naming the row's kind. The negative part of a residual is left out
     * and noted.
     */
    static CategoryChart memory(String title, List<MemoryBar> bars) {
        boolean negative = bars.stream().anyMatch(Charts::hasNegativeResidual);
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(640)
                .title("Resident peak by category: " + title)
                .xAxisTitle(negative ? "phase (* negative unaccounted residual not drawn; see the notes)" : "phase")
                .yAxisTitle("MiB (mean over ok runs)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setLegendPadding(5);
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<GroupKey> keys = bars.stream().map(MemoryBar::key).toList();
        List<String> xs = bars.stream().map(b -> phaseName(b.key(), keys) + (hasNegativeResidual(b) ? " *" : "")).toList();
        Map<String, Segment> first = new LinkedHashMap<>();
        bars.forEach(b -> b.segments().forEach(s -> first.putIfAbsent(s.name(), s)));
        // one stacking and legend order for every bar: the breakdown's groups, then the palette's order
        List<String> known = List.copyOf(Palette.CATEGORIES.keySet());
        List<Segment> order = first.values().stream().sorted(Comparator.<Segment>comparingInt(s -> Analysis.groupRank(s.group()))
                .thenComparingInt(s -> known.contains(s.name()) ? known.indexOf(s.name()) : known.size())
                .thenComparing(Segment::name)).toList();
        Map<String, Color> colors = Palette.forCategories(order.stream().map(Segment::name).toList());
        for (Segment proto : order) {
            double[] ys = new double[bars.size()];
            for (int i = 0; i < bars.size(); i++) {
                for (Segment s : bars.get(i).segments()) {
                    if (s.name().equals(proto.name())) {
                        ys[i] = Math.max(0, s.bytes()) / Fmt.MIB;
                    }
                }
            }
            chart.addSeries(proto.name() + " (" + kindLabel(proto.kind()) + ")", xs,
                    Arrays.stream(ys).boxed().toList()).setFillColor(colors.get(proto.name()));
        }
        return chart;
    }

    private static boolean hasNegativeResidual(MemoryBar b) {
        return b.segments().stream().anyMatch(s -> "residual".equals(s.group()) && s.bytes() < 0);
    }

    /** The settings every chart shares: white, no tooltips, the same fonts. */
    private static void style(Styler st) {
        st.setChartBackgroundColor(Palette.BACKGROUND);
        st.setToolTipsEnabled(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendBorderColor(new Color(0xCCCCCC));
        if (st instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            a.setPlotGridLinesColor(new Color(0xDDDDDD));
        }
    }

    /**
     * A phase row's name on an axis: its label, with the strategy when rows of that label differ in strategy
     * (an axis has no room for more: long names run into each other).
     */
    static String phaseName(GroupKey k, List<GroupKey> all) {
        boolean ambiguous = all.stream().anyMatch(o -> o.label().equals(k.label()) && !o.strategy().equals(k.strategy()));
        return k.label() + (ambiguous ? " " + k.strategy() : "");
    }

    /** Phase rows grouped by suite and preset (one throughput and one speedup chart each), in table order. */
    static Map<String, List<PhaseRow>> phasesBySuite(ReportModel m) {
        Map<String, List<PhaseRow>> out = new LinkedHashMap<>();
        m.phases().stream()
                .sorted(Comparator.comparing((PhaseRow p) -> p.group().key().suite()).thenComparing(p -> p.group().key().preset()))
                .forEach(p -> out.computeIfAbsent(p.group().key().preset() + " preset, suite " + p.group().key().suite(),
                        t -> new ArrayList<>()).add(p));
        return out;
    }

    /** The rows whose runs measured throughput: a single cold step (a memory measurement) times the JIT. */
    private static List<PhaseRow> measuringThroughput(List<PhaseRow> rows) {
        return rows.stream().filter(p -> p.group().measuresThroughput()).toList();
    }

    /** What a throughput chart leaves out as memory measurements, in words, or "". */
    private static String memoryOnly(List<PhaseRow> rows) {
        List<String> left = rows.stream().filter(p -> p.group().ok() > 0 && !p.group().measuresThroughput())
                .map(p -> Fmt.bytes(p.group().key().datasetBytes())).distinct().toList();
        return left.isEmpty() ? "" : "not shown: the single cold steps on " + String.join(", ", left) + ", memory measurements";
    }

    /** Phase names in table order, and datasets in size order, of some phase rows. */
    private record Axes(List<String> phases, List<Long> datasets, List<GroupKey> keys) {
        static Axes of(List<PhaseRow> rows) {
            List<GroupKey> keys = rows.stream().map(PhaseRow::group).map(Group::key).toList();
            List<String> phases = keys.stream().sorted(Analysis.KEY_ORDER)
                    .map(k -> phaseName(k, keys)).distinct().toList();
            List<Long> datasets = rows.stream().map(p -> p.group().key().datasetBytes()).distinct().sorted().toList();
            return new Axes(phases, datasets, keys);
        }

        Group find(List<PhaseRow> rows, String phase, long dataset) {
            return rows.stream().map(PhaseRow::group)
                    .filter(g -> g.ok() > 0 && phaseName(g.key(), keys).equals(phase) && g.key().datasetBytes() == dataset)
                    .findFirst().orElse(null);
        }

        /** The baseline (the run whose role is {@code baseline}) on {@code dataset}, or null. */
        Group baseline(List<PhaseRow> rows, long dataset) {
            return rows.stream().map(PhaseRow::group)
                    .filter(g -> g.ok() > 0 && Analysis.isPhase(g.key(), org.cllmlab.core.results.Phase.BASELINE)
                            && g.key().datasetBytes() == dataset)
                    .findFirst().orElse(null);
        }

        boolean hasBaseline(List<PhaseRow> rows) {
            return datasets.stream().anyMatch(d -> baseline(rows, d) != null);
        }
    }

    /**
     * Training throughput of each phase, one bar per dataset: mean tokens per second of wall time over the
     * measured steps, with the 95% interval of the mean as an error bar (none for a single run).
     */
    static CategoryChart throughput(String title, List<PhaseRow> all) {
        List<PhaseRow> rows = measuringThroughput(all);
        if (rows.isEmpty()) {
            return null;
        }
        Axes axes = Axes.of(rows);
        List<String> missing = new ArrayList<>();
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(500)
                .title("Throughput by phase: " + title)
                .xAxisTitle("phase").yAxisTitle("tokens/s of wall time (mean, error bar: 95% CI)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setAvailableSpaceFill(0.7);
        int i = 0;
        for (long d : axes.datasets()) {
            List<Double> ys = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            boolean single = false;
            for (String ph : axes.phases()) {
                Group g = axes.find(rows, ph, d);
                if (g == null) {
                    missing.add(ph + " on " + Fmt.bytes(d));
                    ys.add(0.0);
                    err.add(0.0);
                    continue;
                }
                Summary t = g.tokensPerSecond();
                single |= !t.hasInterval();
                ys.add(t.mean());
                err.add(t.hasInterval() ? t.halfWidth() : 0.0);
            }
            chart.addSeries(Fmt.bytes(d) + " dataset" + (single ? " (n=1: no interval)" : ""), axes.phases(), ys, err)
                    .setFillColor(Palette.series(i++));
        }
        String memoryOnly = memoryOnly(all);
        if (!missing.isEmpty() || !memoryOnly.isEmpty()) {
            chart.setXAxisTitle("phase (" + (missing.isEmpty() ? "" : "no bar: no ok run of " + String.join(", ", missing)
                    + (memoryOnly.isEmpty() ? "" : "; ")) + memoryOnly + ")");
        }
        return chart;
    }

    /**
     * Each phase's tokens/s over the baseline's on the same dataset, on a log scale, against the ideal (every
     * worker on a core of its own: the workers' count) and this machine's core cap. Null without a measured
     * baseline.
     */
    static XYChart phaseSpeedup(String title, List<PhaseRow> all, int cores) {
        List<PhaseRow> rows = measuringThroughput(all);
        String memoryOnly = memoryOnly(all);
        Axes axes = Axes.of(rows);
        int workers = rows.stream().mapToInt(p -> p.group().key().workers()).max().orElse(0);
        if (!axes.hasBaseline(rows) || workers == 0) {
            return null;
        }
        int n = axes.phases().size();
        XYChart chart = new XYChartBuilder().width(1100).height(500)
                .title("Speedup over the baseline by phase, " + workers + " workers: " + title)
                .xAxisTitle(memoryOnly.isEmpty() ? "phase" : "phase (" + memoryOnly + ")")
                .yAxisTitle("speedup over the baseline (tokens/s, wall; log scale)").build();
        var st = chart.getStyler();
        style(st);
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(0.5);
        st.setYAxisMax(Math.max(2.0 * workers, 4.0));
        st.setXAxisMin(0.5);
        st.setXAxisMax(n + 0.5);
        // XChart cannot be told to put one labelled tick per phase, so the axis's own ticks are hidden and each
        // phase is named at its position, just above the axis
        st.setXAxisTicksVisible(false);
        st.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAnnotationTextFontColor(Color.DARK_GRAY);
        for (int p = 0; p < n; p++) {
            chart.addAnnotation(new AnnotationText(axes.phases().get(p), p + 1, 0.6, false));
        }
        double[] span = {0.5, n + 0.5};
        line(chart, "ideal with " + workers + " workers: " + workers + "×", span, new double[] {workers, workers},
                Palette.IDEAL, true);
        if (cores > 0) {
            double cap = Math.min(cores, workers);
            line(chart, "core cap: " + Fmt.num(cap, 0) + "× (this machine's " + cores + " cores)", span,
                    new double[] {cap, cap}, Palette.CORE_CAP, true);
        }
        int i = 0;
        for (long d : axes.datasets()) {
            Group base = axes.baseline(rows, d);
            if (base == null) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            boolean single = false;
            for (int p = 0; p < n; p++) {
                Group g = axes.find(rows, axes.phases().get(p), d);
                if (g == null) {
                    continue;
                }
                Summary t = g.tokensPerSecond(), b = base.tokensPerSecond();
                double s = t.mean() / b.mean();
                // delta method for a ratio of independent means; the baseline is 1 by definition
                double hw = g == base ? 0 : t.hasInterval() && b.hasInterval()
                        ? s * Math.hypot(t.halfWidth() / t.mean(), b.halfWidth() / b.mean()) : Double.NaN;
                single |= g != base && Double.isNaN(hw);
                // datasets side by side within a phase, so that their markers and bars do not cover each other
                double x = p + 1 + (i - (axes.datasets().size() - 1) / 2.0) * 0.12;
                pts.add(new double[] {x, s, Double.isNaN(hw) ? 0 : Math.min(hw, s - 0.5)});
            }
            XYSeries series = chart.addSeries(Fmt.bytes(d) + " dataset (mean" + (single ? "; n=1: no interval)" : ", 95% CI)"),
                    pts.stream().mapToDouble(q -> q[0]).toArray(), pts.stream().mapToDouble(q -> q[1]).toArray(),
                    pts.stream().mapToDouble(q -> q[2]).toArray());
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(i % 2 == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            series.setMarkerColor(Palette.series(i));
            i++;
        }
        return chart;
    }

    /** Workers from 1 to {@link Analysis#PREDICT_AT} on a log grid, for the reference lines and predictions. */
    private static final double[] GRID = IntStream.rangeClosed(0, 60).mapToDouble(i -> Math.pow(2, i / 10.0)).toArray();

    /** A speedup-against-workers chart on log-log axes, with the ideal and this machine's core cap drawn. */
    private static XYChart speedupAxes(String title, String reference, int cores, boolean overCpus) {
        XYChart chart = new XYChartBuilder().width(1100).height(560).title(title)
                .xAxisTitle(overCpus ? "CPUs the runs were pinned to (log scale)" : "workers (log scale)")
                .yAxisTitle("speedup over " + reference + " (tokens/s, wall; log scale)").build();
        var st = chart.getStyler();
        style(st);
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setXAxisMin(1.0);
        st.setXAxisMax((double) Analysis.PREDICT_AT);
        st.setYAxisMin(0.5);
        st.setYAxisMax((double) Analysis.PREDICT_AT);
        st.setErrorBarsColor(Color.BLACK);
        st.setMarkerSize(9);
        line(chart, "ideal (linear speedup)", new double[] {1, Analysis.PREDICT_AT}, new double[] {1, Analysis.PREDICT_AT},
                Palette.IDEAL, true);
        if (cores > 0 && !overCpus) {
            line(chart, "core cap: min(workers, " + cores + " cores)", GRID, map(GRID, w -> Math.min(w, cores)),
                    Palette.CORE_CAP, true);
        }
        return chart;
    }

    private static XYSeries measured(XYChart chart, String name, ScalingSeries series, Color color, Marker marker) {
        List<ScalingPoint> pts = series.points();
        double[] x = pts.stream().mapToDouble(series::x).toArray();
        double[] y = pts.stream().mapToDouble(ScalingPoint::speedup).toArray();
        // error bars are clipped at the axis floor: a log axis has no room below it
        double[] err = pts.stream().mapToDouble(p -> Double.isNaN(p.speedupHalfWidth()) ? 0
                : Math.min(p.speedupHalfWidth(), p.speedup() - 0.5)).toArray();
        XYSeries s = chart.addSeries(name, x, y, err);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setLineColor(color);
        return s;
    }

    /** The measured speedup of every strategy swept on one preset and dataset, side by side. */
    static XYChart speedupAll(List<ScalingSeries> series) {
        ScalingSeries first = series.get(0);
        XYChart chart = speedupAxes("Speedup against " + (first.overCpus() ? "CPUs" : "workers") + ", measured: "
                + first.preset() + " preset, " + Fmt.bytes(first.datasetBytes()) + " dataset", first.referenceName(),
                first.cores(), first.overCpus());
        List<Marker> markers = List.of(SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
                SeriesMarkers.TRIANGLE_UP);
        for (int i = 0; i < series.size(); i++) {
            ScalingSeries s = series.get(i);
            measured(chart, s.strategy() + " (mean, 95% CI)", s, Palette.series(i), markers.get(i % markers.size()));
        }
        return chart;
    }

    /** Speedup sweeps grouped by preset, dataset and reference worker count, for {@link #speedupAll}. */
    static Map<String, List<ScalingSeries>> scalingByData(ReportModel m) {
        Map<String, List<ScalingSeries>> out = new LinkedHashMap<>();
        m.scaling().forEach(s -> out.computeIfAbsent(s.preset() + "/" + s.datasetBytes() + "/" + s.referenceName() + "/" + s.overCpus(),
                k -> new ArrayList<>()).add(s));
        return out;
    }

    /** One strategy's speedup against workers: measured points, the ideal, the core cap and the predictions. */
    static XYChart speedup(ScalingSeries s) {
        XYChart chart = speedupAxes("Speedup against " + (s.overCpus() ? "CPUs" : "workers") + ": " + Tables.scalingTitle(s),
                s.referenceName(), s.cores(), s.overCpus());
        measured(chart, "measured (mean, 95% CI)", s, Palette.MEASURED, SeriesMarkers.CIRCLE)
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    /**
     * One configuration's predicted speedup at 1 … 128 cores (the step model: solid where it is tested or
     * interpolated, dashed where it is an extrapolation), its band, the USL fit where there is one, the measured
     * points, the ideal and this machine's cores. Null without a model.
     */
    static XYChart prediction(ReportModel.PredictionSeries s, int cores) {
        if (s.noModel() != null || s.curve().isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(1100).height(560)
                .title("Predicted speedup against cores: " + Tables.predictionTitle(s))
                .xAxisTitle("cores (log scale)")
                .yAxisTitle("speedup over " + s.calibrationCores() + (s.calibrationCores() == 1 ? " core" : " cores")
                        + " (tokens/s; log scale)").build();
        var st = chart.getStyler();
        style(st);
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(0.5);
        st.setYAxisMax(256.0);
        st.setXAxisMin(1.0);
        st.setXAxisMax(128.0);
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] all = IntStream.rangeClosed(1, s.curve().size()).asDoubleStream().toArray();
        line(chart, "ideal: N / " + s.calibrationCores(), all, map(all, n -> n / s.calibrationCores()), Palette.IDEAL, true);
        List<double[]> tested = new ArrayList<>();
        List<double[]> extrapolated = new ArrayList<>();
        List<double[]> low = new ArrayList<>();
        List<double[]> high = new ArrayList<>();
        List<double[]> usl = new ArrayList<>();
        for (var e : s.curve()) {
            if (Double.isNaN(e.predicted())) {
                continue;
            }
            double[] pt = {e.cores(), Math.max(0.5, e.predicted())};
            (e.extrapolation() ? extrapolated : tested).add(pt);
            if (!Double.isNaN(e.predictedLow())) {
                low.add(new double[] {e.cores(), Math.max(0.5, e.predictedLow())});
                high.add(new double[] {e.cores(), Math.max(0.5, e.predictedHigh())});
            }
            if (!Double.isNaN(e.usl())) {
                usl.add(new double[] {e.cores(), Math.max(0.5, e.usl())});
            }
        }
        if (!tested.isEmpty() && !extrapolated.isEmpty()) {
            extrapolated.add(0, tested.get(tested.size() - 1));
        }
        addLine(chart, "step model prediction", tested, Palette.PREDICTION, false);
        addLine(chart, "step model, extrapolation (beyond 2× the largest measured count)", extrapolated,
                Palette.PREDICTION, true);
        if (!low.isEmpty()) {
            addLine(chart, "95% interval over the calibration's repetitions", low, Palette.series(5), true);
            addLine(chart, " ", high, Palette.series(5), true).setShowInLegend(false);
        }
        if (!usl.isEmpty()) {
            addLine(chart, "USL fit", usl, Palette.series(3), false);
        }
        if (cores > 0) {
            line(chart, "this machine's " + cores + " cores", new double[] {cores, cores}, new double[] {0.5, 256},
                    Palette.CORE_CAP, true);
        }
        List<double[]> meas = new ArrayList<>();
        for (var e : s.curve()) {
            if (e.measured() != null) {
                double lo = e.measuredLow() == null || Double.isNaN(e.measuredLow()) ? e.measured() : e.measuredLow();
                meas.add(new double[] {e.cores(), e.measured(), Math.min(e.measured() - lo, e.measured() - 0.5)});
            }
        }
        if (!meas.isEmpty()) {
            XYSeries m = chart.addSeries("measured (mean, 95% CI)", meas.stream().mapToDouble(q -> q[0]).toArray(),
                    meas.stream().mapToDouble(q -> q[1]).toArray(), meas.stream().mapToDouble(q -> q[2]).toArray());
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.CIRCLE);
            m.setMarkerColor(Palette.MEASURED);
        }
        return chart;
    }

    private static XYSeries addLine(XYChart chart, String name, List<double[]> pts, Color color, boolean dashed) {
        if (pts.isEmpty()) {
            XYSeries s = chart.addSeries(name, new double[] {1}, new double[] {1});
            s.setShowInLegend(false);
            s.setLineColor(new Color(0, 0, 0, 0));
            s.setMarker(SeriesMarkers.NONE);
            return s;
        }
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
        line(chart, name, x, y, color, dashed);
        return chart.getSeriesMap().get(name);
    }

    private static double[] map(double[] xs, java.util.function.DoubleUnaryOperator f) {
        return Arrays.stream(xs).map(f).toArray();
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
    }

    /** Groups memory bars by the breakdown tables' titles, in the same order. */
    static Map<String, List<MemoryBar>> barsByData(ReportModel m) {
        Map<String, List<MemoryBar>> out = new LinkedHashMap<>();
        m.memoryBars().stream()
                .sorted(Comparator.comparing((MemoryBar b) -> b.key().suite()).thenComparing(b -> b.key().preset())
                        .thenComparingLong(b -> b.key().datasetBytes()).thenComparing(MemoryBar::key, Analysis.KEY_ORDER))
                .forEach(b -> out.computeIfAbsent(Tables.dataTitle(b.key()), t -> new ArrayList<>()).add(b));
        return out;
    }
}
