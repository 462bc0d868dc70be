package org.cllmlab.reports;

import java.util.List;
import java.util.Map;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.ScalingSeries;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * A self-contained HTML page: inline CSS, charts embedded as base64 PNG, no scripts and no external URLs,
 * so it opens offline and can be mailed as one file. Long names in tables may break at their punctuation, a
 * table still too wide scrolls sideways within the page, and charts shrink to the window, so the page itself is
 * never wider than the window.
 */
public final class HtmlReporter implements Reporter {

    private static final String CSS = """
            body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#222;background:#fff;line-height:1.4}
            main{max-width:1500px;margin:0 auto;padding:1.5em 2em 3em}
            h1{font-size:26px;margin:.2em 0 .4em}
            h2{font-size:20px;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #dde}
            h3{font-size:16px;margin:1.4em 0 .4em}
            .scroll{overflow-x:auto;margin:.5em 0 1em;max-width:100%}
            table{border-collapse:collapse;font-size:13px}
            th,td{border:1px solid #c8c8d0;padding:3px 5px;text-align:left;vertical-align:top}
            th{vertical-align:bottom}
            th{background:#eef0f8;font-weight:600}
            tr:nth-child(even) td{background:#fafafc}
            td.held{background:#d8f5d0 !important}td.partly-held{background:#fff1c2 !important}
            td.did-not-hold{background:#f8d0d0 !important}td.not-measured{background:#eee !important}
            .note{color:#555;font-size:13px;max-width:1100px}
            .warn{background:#fff4e5;border-left:4px solid #d55e00;padding:.4em .8em}
            figure{margin:.8em 0 1.6em}
            figure img{display:block;max-width:100%;height:auto;border:1px solid #ddd}
            figcaption{color:#555;font-size:13px;margin-top:.3em;max-width:1100px}
            """;

    @Override
    public String render(ReportModel m) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>cllm-lab report: ")
                .append(esc(MarkdownReporter.name(m.directory()))).append("</title>\n<style>").append(CSS)
                .append("</style></head>\n<body><main>\n");
        out.append("<h1>cllm-lab report: ").append(esc(MarkdownReporter.name(m.directory()))).append("</h1>\n");
        p(out, Tables.inputs(m));
        if (!m.inputs().unreadableFiles().isEmpty()) {
            out.append("<h2>").append(esc(Tables.UNREADABLE_TITLE)).append("</h2>\n");
            out.append("<p class=\"note warn\">").append(esc(Tables.unreadableNote(m))).append("</p>\n");
            table(out, Tables.unreadable(m), -1);
        }

        if (!m.phases().isEmpty()) {
            out.append("<h2>Verdicts: the original's claims against this machine</h2>\n");
            table(out, Tables.verdicts(m), 2);
            p(out, Tables.thresholds());
            list(out, Tables.methodNotes(m));
            out.append("<h2>Phases</h2>\n");
            table(out, Tables.phaseConfigurations(m), -1);
            out.append("<h2>Memory by phase</h2>\n");
            p(out, "Reserved, committed and resident are different figures and sit in separate columns."
                    + " Reduction compares mean resident figures after a full collection with the baseline of the same"
                    + " dataset.");
            table(out, Tables.phases(m), -1);
            list(out, Tables.phasesNotes(m));

            out.append("<h2>Throughput and speedup by phase</h2>\n");
            for (Map.Entry<String, List<ReportModel.PhaseRow>> e : Charts.phasesBySuite(m).entrySet()) {
                CategoryChart throughput = Charts.throughput(e.getKey(), e.getValue());
                if (throughput != null) {
                    figure(out, Charts.dataUri(throughput), "throughput by phase, " + e.getKey(),
                            Tables.throughputCaption());
                } else {
                    p(out, "No throughput chart for " + e.getKey() + ": every run there was a single cold step, a"
                            + " memory measurement.");
                }
                XYChart speedup = Charts.phaseSpeedup(e.getKey(), e.getValue(), m.provenance().cores());
                if (speedup != null) {
                    figure(out, Charts.dataUri(speedup), "speedup over the baseline by phase, " + e.getKey(),
                            Tables.phaseSpeedupCaption(m.provenance().cores()));
                }
            }

            out.append("<h2>Memory breakdown by category (mean MiB after a full collection, GC slack on top)</h2>\n");
            p(out, Tables.breakdownNote());
            Map<String, List<MemoryBar>> bars = Charts.barsByData(m);
            for (Tables.Titled t : Tables.breakdowns(m)) {
                out.append("<h3>").append(esc(t.title())).append("</h3>\n");
                List<MemoryBar> b = bars.get(t.title());
                if (b != null) {
                    figure(out, Charts.dataUri(Charts.memory(t.title(), b)), "stacked memory bars for " + t.title(), "");
                }
                table(out, t.table(), -1);
                list(out, t.notes());
            }
        }

        out.append("<h2>Repetition statistics</h2>\n");
        table(out, Tables.statistics(m), -1);
        if (Tables.anyCold(m)) {
            p(out, "tokens/s " + Tables.COLD_NOTE);
        }

        if (!m.scaling().isEmpty()) {
            out.append("<h2>Speedup against workers and CPUs</h2>\n");
            p(out, Tables.scalingNote(m));
            for (List<ScalingSeries> same : Charts.scalingByData(m).values()) {
                if (same.size() > 1) {
                    figure(out, Charts.dataUri(Charts.speedupAll(same)), "measured speedup against workers, every strategy", "");
                }
            }
            for (ScalingSeries s : m.scaling()) {
                out.append("<h3>").append(esc(Tables.scalingTitle(s))).append("</h3>\n");
                figure(out, Charts.dataUri(Charts.speedup(s)), "speedup against workers for " + s.strategy(), "");
                table(out, Tables.scaling(s), -1);
                list(out, Tables.scalingModels(s));
            }
        }
        if (!m.predictionSeries().isEmpty()) {
            out.append("<h2>Predictions: speedup at N cores from a calibrated step model</h2>\n");
            p(out, Tables.predictionsNote());
            for (ReportModel.PredictionSeries s : m.predictionSeries()) {
                out.append("<h3>").append(esc(Tables.predictionTitle(s))).append("</h3>\n");
                XYChart chart = Charts.prediction(s, m.provenance().cores());
                if (chart != null) {
                    figure(out, Charts.dataUri(chart), "predicted speedup against cores for " + s.strategy(),
                            "The step model's speedup at 1 to 128 cores (dashed: an extrapolation), the measured"
                                    + " points with their 95% intervals, the ideal and this machine's cores.");
                }
                if (s.noModel() == null) {
                    table(out, Tables.predictions(s), -1);
                }
                list(out, Tables.predictionNotes(s));
            }
        }
        if (!m.contention().isEmpty()) {
            out.append("<h2>Contention (measured, means over repetitions)</h2>\n");
            table(out, Tables.contention(m), -1);
        }
        if (!m.jmh().isEmpty()) {
            out.append("<h2>JMH benchmarks</h2>\n");
            table(out, Tables.jmh(m), -1);
        }
        if (!m.efficiency().isEmpty()) {
            out.append("<h2>Kernel efficiency (measured by <code>./lab efficiency</code>)</h2>\n");
            p(out, Tables.efficiencyNote());
            table(out, Tables.efficiency(m), -1);
            list(out, Tables.efficiencyFiles(m));
        }
        out.append("<h2>Provenance</h2>\n");
        list(out, Tables.provenance(m));
        table(out, Tables.runs(m), -1);
        if (!m.inputs().ignoredFiles().isEmpty()) {
            p(out, "Ignored (not a result, JMH or efficiency file): " + String.join(", ", m.inputs().ignoredFiles()));
        }
        out.append("</main></body></html>\n");
        return out.toString();
    }

    private static void figure(StringBuilder out, String uri, String alt, String caption) {
        out.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"").append(uri).append("\">");
        if (!caption.isEmpty()) {
            out.append("<figcaption>").append(esc(caption)).append("</figcaption>");
        }
        out.append("</figure>\n");
    }

    private static void p(StringBuilder out, String text) {
        out.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
    }

    private static void list(StringBuilder out, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        out.append("<ul class=\"note\">");
        items.forEach(i -> out.append("<li>").append(esc(i)).append("</li>"));
        out.append("</ul>\n");
    }

    /** {@code classColumn} is the index of a column whose text becomes the cell's CSS class, or -1. */
    private static void table(StringBuilder out, Tables.Table t, int classColumn) {
        out.append("<div class=\"scroll\"><table>\n<tr>");
        t.headers().forEach(h -> out.append("<th>").append(breakable(h)).append("</th>"));
        out.append("</tr>\n");
        for (List<String> r : t.rows()) {
            out.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                out.append(i == classColumn ? "<td class=\"" + c.replace(' ', '-') + "\">" : "<td>").append(breakable(c))
                        .append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</table></div>\n");
    }

    /** Punctuation inside a name or flag, before a letter, where a line may break. */
    private static final java.util.regex.Pattern NAME_BREAK = java.util.regex.Pattern.compile("([./_:=-])(?=[A-Za-z])");

    /**
     * Escaped cell text in which long names (strategies, file paths, thread variants, JVM flags) may break after
     * '.', '/', '_', ':', '=' or '-', so that wide tables fit the window without breaking words or numbers.
     */
    static String breakable(String s) {
        return NAME_BREAK.matcher(esc(s)).replaceAll("$1<wbr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
