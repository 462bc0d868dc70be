package org.cllmlab.reports;

import java.util.List;
import org.cllmlab.reports.ReportModel.ScalingSeries;

/** The report as GitHub-flavoured Markdown tables. No charts: the HTML report carries those. */
public final class MarkdownReporter implements Reporter {

    @Override
    public String render(ReportModel m) {
        StringBuilder out = new StringBuilder();
        out.append("# cllm-lab report: ").append(name(m.directory())).append("\n\n");
        out.append(Tables.inputs(m)).append("\n\n");
        if (!m.inputs().unreadableFiles().isEmpty()) {
            out.append("## ").append(Tables.UNREADABLE_TITLE).append("\n\n").append(Tables.unreadableNote(m)).append("\n\n");
            table(out, Tables.unreadable(m));
            out.append('\n');
        }

        if (!m.phases().isEmpty()) {
            out.append("## Verdicts: the original's claims against this machine\n\n");
            table(out, Tables.verdicts(m));
            out.append('\n').append(Tables.thresholds()).append("\n");
            notes(out, Tables.methodNotes(m));
            out.append('\n');

            out.append("## Phases\n\n");
            table(out, Tables.phaseConfigurations(m));
            out.append('\n');

            out.append("## Memory by phase\n\n");
            out.append("Reserved, committed and resident are different figures and sit in separate columns."
                    + " Reduction compares mean resident figures after a full collection with the baseline of the same"
                    + " dataset.\n\n");
            table(out, Tables.phases(m));
            notes(out, Tables.phasesNotes(m));
            out.append('\n');

            out.append("## Memory breakdown by category (mean MiB after a full collection, GC slack on top)\n\n");
            out.append(Tables.breakdownNote()).append("\n\n");
            for (Tables.Titled t : Tables.breakdowns(m)) {
                out.append("### ").append(t.title()).append("\n\n");
                table(out, t.table());
                notes(out, t.notes());
                out.append('\n');
            }
        }

        out.append("## Repetition statistics\n\n");
        table(out, Tables.statistics(m));
        out.append('\n');
        if (Tables.anyCold(m)) {
            notes(out, List.of("tokens/s " + Tables.COLD_NOTE));
        }

        if (!m.scaling().isEmpty()) {
            out.append("## Speedup against workers and CPUs\n\n").append(Tables.scalingNote(m)).append("\n\n");
            for (ScalingSeries s : m.scaling()) {
                out.append("### ").append(Tables.scalingTitle(s)).append("\n\n");
                table(out, Tables.scaling(s));
                notes(out, Tables.scalingModels(s));
                out.append('\n');
            }
        }

        if (!m.predictionSeries().isEmpty()) {
            out.append("## Predictions: speedup at N cores from a calibrated step model\n\n")
                    .append(Tables.predictionsNote()).append("\n\n");
            for (ReportModel.PredictionSeries s : m.predictionSeries()) {
                out.append("### ").append(Tables.predictionTitle(s)).append("\n\n");
                if (s.noModel() == null) {
                    table(out, Tables.predictions(s));
                }
                notes(out, Tables.predictionNotes(s));
                out.append('\n');
            }
        }

        if (!m.contention().isEmpty()) {
            out.append("## Contention (measured, means over repetitions)\n\n");
            table(out, Tables.contention(m));
            out.append('\n');
        }

        if (!m.jmh().isEmpty()) {
            out.append("## JMH benchmarks\n\n");
            table(out, Tables.jmh(m));
            out.append('\n');
        }

        if (!m.efficiency().isEmpty()) {
            out.append("## Kernel efficiency (measured by `./lab efficiency`)\n\n").append(Tables.efficiencyNote()).append("\n\n");
            table(out, Tables.efficiency(m));
            notes(out, Tables.efficiencyFiles(m));
            out.append('\n');
        }

        out.append("## Provenance\n\n");
        notes(out, Tables.provenance(m));
        out.append('\n');
        table(out, Tables.runs(m));
        if (!m.inputs().ignoredFiles().isEmpty()) {
            out.append("\nIgnored (not a result, JMH or efficiency file): ").append(String.join(", ", m.inputs().ignoredFiles())).append('\n');
        }
        return out.toString();
    }

    static String name(String dir) {
        String d = dir.replace('\\', '/');
        while (d.endsWith("/") && d.length() > 1) {
            d = d.substring(0, d.length() - 1);
        }
        int i = d.lastIndexOf('/');
        return i < 0 ? d : d.substring(i + 1);
    }

    private static void notes(StringBuilder out, List<String> notes) {
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
    }

    private static void table(StringBuilder out, Tables.Table t) {
        row(out, t.headers());
        out.append('|');
        t.headers().forEach(h -> out.append("---|"));
        out.append('\n');
        t.rows().forEach(r -> row(out, r));
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String c : cells) {
            out.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        out.append('\n');
    }
}
