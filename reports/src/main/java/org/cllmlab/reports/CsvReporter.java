package org.cllmlab.reports;

import java.util.ArrayList;
import java.util.List;
import org.cllmlab.reports.ReportModel.Group;
import org.cllmlab.reports.ReportModel.GroupKey;

/**
 * One row per configuration (repetitions summarised), for spreadsheets and plotting. Bytes are raw bytes;
 * column names carry the kind of memory and the statistic. Empty cell = not measured, or (for the resident /
 * dataset ratio) a dataset below {@link ReportModel#RATIO_MIN_DATASET_BYTES}.
 */
public final class CsvReporter implements Reporter {

    private static final List<String> STATS = List.of("n", "mean", "sd", "ci95_low", "ci95_high");

    @Override
    public String render(ReportModel m) {
        List<String> header = new ArrayList<>(List.of("suite", "label", "preset", "dataset_bytes", "strategy", "threads",
                "hierarchy", "caches", "workers", "batch_mode", "steps", "runs_ok", "runs_failed", "status",
                "reduction_vs_baseline_resident_pct"));
        for (String f : List.of("tokens_per_s_wall", "resident_peak_bytes", "heap_committed_peak_bytes", "heap_used_peak_bytes",
                "stack_reserved_bytes", "stack_committed_bytes", "hierarchy_ledger_bytes", "activations_ledger_bytes",
                "resident_to_dataset_ratio", "serialization_index", "wall_seconds", "cpu_seconds", "final_loss",
                "resident_after_full_gc_bytes", "gc_slack_bytes", "model_flop_utilisation")) {
            STATS.forEach(s -> header.add(f + "_" + s));
        }
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (Group g : m.groups()) {
            GroupKey k = g.key();
            double reduction = m.phases().stream().filter(p -> p.group().key().equals(k)).findFirst()
                    .map(ReportModel.PhaseRow::residentReductionPct).orElse(Double.NaN);
            List<String> row = new ArrayList<>(List.of(k.suite(), k.label(), k.preset(), Long.toString(k.datasetBytes()),
                    k.strategy(), k.threads(), k.hierarchy(), k.caches(), Integer.toString(k.workers()), k.batchMode(),
                    Integer.toString(k.steps()), Integer.toString(g.ok()), Integer.toString(g.failed()), g.status(),
                    num(reduction, 3)));
            // the ratio is left empty where the dataset is too small for it to mean something, as in the tables
            Summary ratio = g.residentToDatasetMeaningful() ? g.residentToDataset() : Summary.EMPTY;
            for (Summary s : List.of(g.tokensPerSecond(), g.residentPeakBytes(), g.heapCommittedBytes(), g.heapUsedBytes(),
                    g.stackReservedBytes(), g.stackCommittedBytes(), g.hierarchyBytes(), g.activationBytes(),
                    ratio, g.serializationIndex(), g.wallSeconds(), g.cpuSeconds(), g.finalLoss(),
                    g.residentStableBytes(), g.gcSlackBytes(), g.mfu())) {
                row.add(Integer.toString(s.n()));
                row.add(num(s.mean(), 4));
                row.add(num(s.sd(), 4));
                row.add(num(s.ciLow(), 4));
                row.add(num(s.ciHigh(), 4));
            }
            line(out, row);
        }
        return out.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : Fmt.num(v, decimals);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String c = cells.get(i);
            out.append(c.contains(",") || c.contains("\"") || c.contains("\n") ? '"' + c.replace("\"", "\"\"") + '"' : c);
        }
        out.append('\n');
    }
}
