package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cllmlab.reports.ReportException;
import org.cllmlab.reports.ReportGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab report DIR}: renders the result files of a directory (and JMH JSON output) as reports. */
@Command(name = "report", mixinStandardHelpOptions = true,
        header = "Render a folder of result files as reports.",
        description = "Reads the result files under DIR (run results, JMH -rf json output, ./lab efficiency output)"
                + " and writes report.md, a self-contained report.html with charts, summary.csv and summary.json."
                + " Every readable file is rendered; unreadable ones are listed with their reason (exit code 1).")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A directory of result files, e.g. results/phases-small.")
    Path dir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: DIR).")
    Path out;

    @Mixin
    LabOptions lab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new UserError("DIR: '" + dir + "' is not a folder; expected a folder of result files");
        }
        OutputFolder.check("--out", out == null ? dir : out, true);
        ReportGenerator.Outcome outcome;
        try {
            outcome = ReportGenerator.write(dir, out == null ? dir : out);
        } catch (ReportException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        for (Path p : outcome.written()) {
            o.println("wrote " + p);
        }
        o.flush();
        if (!outcome.complete()) {
            PrintWriter err = spec.commandLine().getErr();
            for (var u : outcome.unreadable()) {
                err.println("unreadable: " + u.message());
            }
            err.printf("%d file(s) could not be read; the report renders every other result and lists them%n",
                    outcome.unreadable().size());
            err.flush();
            return ExitCodes.RUN_FAILED;
        }
        return ExitCodes.OK;
    }
}
