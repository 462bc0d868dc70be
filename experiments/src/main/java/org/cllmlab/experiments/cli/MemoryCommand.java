package org.cllmlab.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cllmlab.core.memory.MemoryReports;
import org.cllmlab.core.results.MemoryReport;
import org.cllmlab.core.results.MemoryRow;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.run.MeasuredRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab memory}: trains a few steps and explains where the process's resident memory went. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        header = "Train a few steps and explain where the resident memory went.",
        description = "Samples memory while training, then prints the breakdown: ledger categories, heap, JVM native"
                + " categories and file mappings, with an explicit unaccounted residual, at the sampled peak and after"
                + " a full collection at the peak (the stable figure the suites judge on). Every figure says whether"
                + " it is reserved, committed, used or resident.")
public final class MemoryCommand implements Callable<Integer> {

    @Mixin
    RunOptions run;

    @Mixin
    LabOptions lab;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "memory", description = "Row label of the run.")
    String label;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (spec.commandLine().getParseResult().matchedOption("--steps") == null) {
            run.steps = 3;
        }
        if (spec.commandLine().getParseResult().matchedOption("--eval-batches") == null) {
            run.evalBatches = 1;
        }
        RunResult r = MeasuredRun.execute(run.toSpec(label), lab.registries(), label, "memory", 1, null);
        MemoryReport m = r.memory();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Results.mapper().createObjectNode();
            ArrayNode rows = n.putArray("rows");
            for (MemoryRow row : m.breakdown()) {
                rows.addObject().put("name", row.name()).put("group", row.group()).put("kind", row.kind().id())
                        .put("bytes", row.bytes()).put("note", row.note());
            }
            // The suites' figure: resident after a full collection at the peak (the GC's slack taken out).
            n.put("peakResidentBytes", m.stableResidentBytes());
            n.put("memoryMethod", m.collected() == null ? "sampled peak" : m.collected().method());
            n.put("sampledPeakResidentBytes", m.peakResidentBytes());
            n.put("gcSlackBytes", m.gcSlackBytes());
            n.put("unaccountedBytes", m.unaccountedBytes());
            n.set("report", Results.mapper().valueToTree(m));
            n.set("config", Results.mapper().valueToTree(r.config()));
            n.put("tokensPerSecond", r.training().tokensPerSecond());
            out.println(Results.mapper().writeValueAsString(n));
        } else {
            out.printf("%s: %s, %d workers (%s), hierarchy %s (%d spheres), caches %s, %d bytes of data%n",
                    r.config().preset(), r.config().strategy(), r.config().workers(), r.config().threads(),
                    r.config().hierarchy(), m.spheres(), r.config().caches(), r.config().datasetBytes());
            out.println(MemoryReports.toText(m));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
