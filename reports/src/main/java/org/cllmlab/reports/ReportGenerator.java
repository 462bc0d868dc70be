package org.cllmlab.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cllmlab.core.results.Results;

/**
 * The reports module's entry point: reads every result file under a directory, analyses them once into a
 * {@link ReportModel} and writes {@code report.md}, {@code report.html}, {@code summary.csv} and
 * {@code summary.json}. Output depends only on the inputs: no generation timestamp, sorted rows,
 * {@code Locale.ROOT} formatting.
 */
public final class ReportGenerator {

    private ReportGenerator() {
    }

    /** Writes all formats into {@code resultDir} itself. */
    public static List<Path> generate(Path resultDir) {
        return generate(resultDir, resultDir);
    }

    /** Writes all formats into {@code outDir}. */
    public static List<Path> generate(Path resultDir, Path outDir) {
        return generate(resultDir, outDir, EnumSet.allOf(ReportFormat.class));
    }

    /**
     * Reads {@code resultDir} recursively and writes the chosen formats into {@code outDir}, atomically per file.
     *
     * @return the files written, in {@link ReportFormat} order
     * @throws ReportException with a one-line message naming the directory or file at fault
     */
    public static List<Path> generate(Path resultDir, Path outDir, Set<ReportFormat> formats) {
        ReportModel model = model(resultDir);
        List<Path> written = new ArrayList<>();
        for (ReportFormat f : EnumSet.copyOf(formats)) {
            Path file = outDir.resolve(f.fileName());
            try {
                Results.writeAtomically(file, f.create().render(model).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ReportException(file + ": cannot write: " + e.getMessage(), e);
            }
            written.add(file);
        }
        return written;
    }

    /** The analysis alone, for callers that render it themselves. */
    public static ReportModel model(Path resultDir) {
        return Analysis.analyse(ResultLoader.load(resultDir));
    }

    /** Usage: {@code ReportGenerator RESULT_DIR [OUT_DIR]}. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ReportGenerator RESULT_DIR [OUT_DIR]");
            System.exit(2);
        }
        try {
            Path in = Path.of(args[0]);
            for (Path p : generate(in, args.length == 2 ? Path.of(args[1]) : in)) {
                System.out.println(p);
            }
        } catch (ReportException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
