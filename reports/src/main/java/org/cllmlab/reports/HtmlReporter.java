package org.cllmlab.reports;

import java.util.List;
import java.util.Map;
import org.cllmlab.reports.ReportModel.MemoryBar;
import org.cllmlab.reports.ReportModel.ScalingSeries;

/**
 * A self-contained HTML page: inline CSS, charts embedded as base64 PNG, no scripts and no external URLs,
 * so it opens offline and can be mailed as one file.
 */
public final class HtmlReporter implements Reporter {

    private static final String CSS = """
            body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1800px}
            table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}
            th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
            th{background:#eef}
            td.held{background:#d8f5d0}td.partly-held{background:#fff1c2}td.did-not-hold{background:#f8d0d0}
            td.not-measured{background:#eee}
            .note{color:#555;font-size:13px}
            img{display:block;margin:.5em 0 1.5em;border:1px solid #ddd}
            """;

    @Override
    public String render(ReportModel m) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cllm-lab report: ")
                .append(esc(MarkdownReporter.name(m.directory()))).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        out.append("<h1>cllm-lab report: ").append(esc(MarkdownReporter.name(m.directory()))).append("</h1>\n");
        p(out, Tables.inputs(m));
        if (!m.inputs().unreadableFiles().isEmpty()) {
            out.append("<h2>").append(esc(Tables.UNREADABLE_TITLE)).append("</h2>\n");
            p(out, Tables.unreadableNote(m));
            table(out, Tables.unreadable(m), -1);
        }

        if (!m.phases().isEmpty()) {
            out.append("<h2>Verdicts: the original's claims against this machine</h2>\n");
            table(out, Tables.verdicts(m), 2);
            p(out, Tables.thresholds());
            out.append("<h2>Memory by phase</h2>\n");
            p(out, "Reserved, committed and resident are different figures and sit in separate columns."
                    + " Reduction compares mean resident peaks with the baseline of the same dataset.");
            table(out, Tables.phases(m), -1);

            out.append("<h2>Memory breakdown by category (mean MiB at the resident peak)</h2>\n");
            Map<String, List<MemoryBar>> bars = Charts.barsByData(m);
            for (Tables.Titled t : Tables.breakdowns(m)) {
                out.append("<h3>").append(esc(t.title())).append("</h3>\n");
                List<MemoryBar> b = bars.get(t.title());
                if (b != null) {
                    img(out, Charts.dataUri(Charts.memory("Memory by category: " + t.title(), b)),
                            "stacked memory bars for " + t.title());
                }
                table(out, t.table(), -1);
                list(out, t.notes());
            }
        }

        out.append("<h2>Repetition statistics</h2>\n");
        table(out, Tables.statistics(m), -1);

        if (!m.scaling().isEmpty()) {
            out.append("<h2>Speedup against workers</h2>\n");
            p(out, Tables.scalingNote(m));
            for (ScalingSeries s : m.scaling()) {
                out.append("<h3>").append(esc(Tables.scalingTitle(s))).append("</h3>\n");
                img(out, Charts.dataUri(Charts.speedup(s)), "speedup against workers for " + s.strategy());
                table(out, Tables.scaling(s), -1);
                list(out, Tables.scalingModels(s));
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
        out.append("</body></html>\n");
        return out.toString();
    }

    private static void img(StringBuilder out, String uri, String alt) {
        out.append("<img alt=\"").append(esc(alt)).append("\" src=\"").append(uri).append("\">\n");
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
        out.append("<table>\n<tr>");
        t.headers().forEach(h -> out.append("<th>").append(esc(h)).append("</th>"));
        out.append("</tr>\n");
        for (List<String> r : t.rows()) {
            out.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                out.append(i == classColumn ? "<td class=\"" + c.replace(' ', '-') + "\">" : "<td>").append(esc(c)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
