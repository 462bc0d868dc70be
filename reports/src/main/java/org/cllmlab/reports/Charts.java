package org.cllmlab.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.ScalingPoint;
import org.cllmlab.reports.ReportModel.ScalingSeries;
import org.cllmlab.reports.ReportModel.Segment;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
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

    /** Stacked bars of one dataset's phases by category; the negative part of a residual is left out and noted. */
    static CategoryChart memory(String title, List<MemoryBar> bars) {
        boolean negative = bars.stream().anyMatch(Charts::hasNegativeResidual);
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(620).title(title)
                .xAxisTitle(negative ? "phase (* negative unaccounted residual not drawn; see the notes)" : "phase")
                .yAxisTitle("MiB at the resident peak (mean)").build();
        chart.getStyler().setLegendFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        chart.getStyler().setLegendPadding(4);
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
        List<String> xs = bars.stream().map(b -> Tables.barName(b) + (hasNegativeResidual(b) ? " *" : "")).toList();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < bars.size(); i++) {
            for (Segment s : bars.get(i).segments()) {
                String name = s.name() + " (" + s.kind() + ")";
                series.computeIfAbsent(name, n -> new double[bars.size()])[i] = Math.max(0, s.bytes()) / Fmt.MIB;
            }
        }
        Map<String, Color> colors = new LinkedHashMap<>();
        bars.forEach(b -> b.segments().forEach(s -> colors.putIfAbsent(s.name() + " (" + s.kind() + ")", color(s))));
        series.forEach((name, ys) -> chart.addSeries(name, xs, java.util.Arrays.stream(ys).boxed().toList())
                .setFillColor(colors.get(name)));
        return chart;
    }

    private static boolean hasNegativeResidual(MemoryBar b) {
        return b.segments().stream().anyMatch(s -> "residual".equals(s.group()) && s.bytes() < 0);
    }

    /** Ledger categories in blues and greens, heap grey, JVM in warm tones, file purple, residual red. */
    private static final Map<String, Color> FIXED = Map.ofEntries(
            Map.entry("parameters", new Color(0x08306b)), Map.entry("gradients", new Color(0x2171b5)),
            Map.entry("optimizer-state", new Color(0x6baed6)), Map.entry("activations", new Color(0x00441b)),
            Map.entry("dataset", new Color(0x41ab5d)), Map.entry("batches", new Color(0xa1d99b)),
            Map.entry("workspace", new Color(0x9ecae1)), Map.entry("hierarchy", new Color(0x006d2c)),
            Map.entry("heap.other", new Color(0xbdbdbd)), Map.entry("jvm.thread", new Color(0x7f2704)),
            Map.entry("jvm.code", new Color(0xd94801)), Map.entry("jvm.gc", new Color(0xfd8d3c)),
            Map.entry("jvm.metaspace", new Color(0xfdd0a2)), Map.entry("jvm.other", new Color(0x8c6d31)),
            Map.entry("file-backed", new Color(0x756bb1)), Map.entry("unaccounted", new Color(0xe31a1c)));

    private static Color color(Segment s) {
        Color c = FIXED.get(s.name());
        if (c != null) {
            return c;
        }
        // unknown categories: a stable colour from the name
        int h = s.name().hashCode();
        return Color.getHSBColor((h & 0xffff) / 65535f, 0.45f, 0.75f);
    }

    /** Speedup against workers on log-log axes: ideal, the cores of this machine, measured points, predictions. */
    static XYChart speedup(ScalingSeries s) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Speedup: " + Tables.scalingTitle(s))
                .xAxisTitle("workers (log scale)").yAxisTitle("speedup vs " + s.referenceWorkers() + " worker(s) (log scale)").build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(true);
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(Color.WHITE);
        st.setXAxisMin(1.0);
        st.setXAxisMax((double) Analysis.PREDICT_AT);
        st.setYAxisMin(0.5);
        st.setYAxisMax((double) Analysis.PREDICT_AT);
        st.setErrorBarsColor(Color.BLACK);

        double[] grid = IntStream.rangeClosed(0, 60).mapToDouble(i -> Math.pow(2, i / 10.0)).toArray();
        line(chart, "ideal (linear speedup)", new double[] {1, Analysis.PREDICT_AT}, new double[] {1, Analysis.PREDICT_AT},
                Color.GRAY, true);
        if (s.cores() > 0) {
            line(chart, "cores of this machine (" + s.cores() + ")", new double[] {s.cores(), s.cores()},
                    new double[] {0.5, Analysis.PREDICT_AT}, Color.RED, true);
        }
        if (!Double.isNaN(s.serializationIndex())) {
            line(chart, "Amdahl prediction (s = " + Fmt.num(s.serializationIndex(), 3) + ")", grid,
                    map(grid, n -> Scalability.amdahl(s.serializationIndex(), n)), new Color(0x1f77b4), false);
        }
        if ("usl".equals(s.fit())) {
            line(chart, "USL fit prediction (α = " + Fmt.num(s.uslAlpha(), 3) + ", β = " + Fmt.num(s.uslBeta(), 4) + ")", grid,
                    map(grid, n -> Scalability.usl(s.uslAlpha(), s.uslBeta(), n)), new Color(0x2ca02c), false);
        } else if ("karp-flatt".equals(s.fit())) {
            line(chart, "Karp–Flatt prediction (e = " + Fmt.num(s.karpFlatt(), 3) + ")", grid,
                    map(grid, n -> Scalability.amdahl(s.karpFlatt(), n)), new Color(0x2ca02c), false);
        }
        List<ScalingPoint> pts = s.points();
        double[] x = pts.stream().mapToDouble(ScalingPoint::workers).toArray();
        double[] y = pts.stream().mapToDouble(ScalingPoint::speedup).toArray();
        double[] err = pts.stream().mapToDouble(p -> Double.isNaN(p.speedupHalfWidth()) ? 0 : p.speedupHalfWidth()).toArray();
        XYSeries measured = chart.addSeries("measured (mean, 95% CI)", x, y, err);
        measured.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        measured.setMarker(SeriesMarkers.CIRCLE);
        measured.setMarkerColor(Color.BLACK);
        if (!Double.isNaN(s.fittedAt64())) {
            XYSeries at64 = chart.addSeries("prediction at " + Analysis.PREDICT_AT + ": " + Fmt.num(s.fittedAt64(), 1) + "×",
                    new double[] {Analysis.PREDICT_AT}, new double[] {Math.max(0.5, s.fittedAt64())});
            at64.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            at64.setMarker(SeriesMarkers.DIAMOND);
            at64.setMarkerColor(new Color(0x2ca02c));
        }
        return chart;
    }

    private static double[] map(double[] xs, java.util.function.DoubleUnaryOperator f) {
        return java.util.Arrays.stream(xs).map(f).toArray();
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
                .sorted(java.util.Comparator.comparing((MemoryBar b) -> b.key().suite()).thenComparing(b -> b.key().preset())
                        .thenComparingLong(b -> b.key().datasetBytes()).thenComparing(MemoryBar::key, Analysis.KEY_ORDER))
                .forEach(b -> out.computeIfAbsent(Tables.dataTitle(b.key()), t -> new ArrayList<>()).add(b));
        return out;
    }
}
