package org.cllmlab.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Files that cannot be read do not stop the report: {@link #write} renders every readable result, lists
 * each unreadable file with its reason in the report, and returns them in its {@link Outcome} so that a
 * command line can print each one and exit non-zero.
 */
public final class ReportGenerator {

    private ReportGenerator() {
    }

    /**
     * What a report run did.
     *
     * @param written    the files written, in {@link ReportFormat} order
     * @param unreadable input files that could not be read, in path order; each is listed in the report too
     */
    public record Outcome(List<Path> written, List<ResultLoader.Unreadable> unreadable) {
        public Outcome {
            written = List.copyOf(written);
            unreadable = List.copyOf(unreadable);
        }

        /** Whether every input file was read. */
        public boolean complete() {
            return unreadable.isEmpty();
        }
    }

    /** Writes all formats into {@code outDir}; see {@link #write(Path, Path, Set)}. */
    public static Outcome write(Path resultDir, Path outDir) {
        return write(resultDir, outDir, EnumSet.allOf(ReportFormat.class));
    }

    /**
     * Reads {@code resultDir} recursively and writes the chosen formats into {@code outDir}, atomically per
     * file, from every input that could be read.
     *
     * @return the files written and the input files that could not be read
     * @throws ReportException with a one-line message when there is nothing readable to report, or a file
     *                         cannot be written
     */
    public static Outcome write(Path resultDir, Path outDir, Set<ReportFormat> formats) {
        ResultLoader.Inputs inputs = ResultLoader.load(resultDir);
        ReportModel model = Analysis.analyse(inputs);
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
        return new Outcome(written, inputs.unreadable());
    }

    /** Writes all formats into {@code resultDir} itself; see {@link #generate(Path, Path, Set)}. */
    public static List<Path> generate(Path resultDir) {
        return generate(resultDir, resultDir);
    }

    /** Writes all formats into {@code outDir}; see {@link #generate(Path, Path, Set)}. */
    public static List<Path> generate(Path resultDir, Path outDir) {
        return generate(resultDir, outDir, EnumSet.allOf(ReportFormat.class));
    }

    /**
     * As {@link #write(Path, Path, Set)}, for callers that treat any unreadable input as an error: the report
     * is written from the readable files, then an unreadable file fails the call.
     *
     * @return the files written, in {@link ReportFormat} order
     * @throws ReportException with a one-line message naming the directory or file at fault; for unreadable
     *                         inputs, the first one, and how many others the report lists
     */
    public static List<Path> generate(Path resultDir, Path outDir, Set<ReportFormat> formats) {
        Outcome o = write(resultDir, outDir, formats);
        if (!o.complete()) {
            int more = o.unreadable().size() - 1;
            throw new ReportException(o.unreadable().get(0).message() + (more == 0 ? "" : " (and " + more
                    + " more unreadable file" + (more == 1 ? "" : "s") + ")") + "; the report was written without "
                    + (more == 0 ? "it" : "them") + " and lists " + (more == 0 ? "it" : "each"));
        }
        return o.written();
    }

    /** The analysis alone, for callers that render it themselves. */
    public static ReportModel model(Path resultDir) {
        return Analysis.analyse(ResultLoader.load(resultDir));
    }

    /**
     * Usage: {@code ReportGenerator RESULT_DIR [OUT_DIR]}. Prints each file written, then each unreadable
     * input on stderr; exits 1 when any input was unreadable or nothing could be reported.
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ReportGenerator RESULT_DIR [OUT_DIR]");
            System.exit(2);
        }
        try {
            Path in = Path.of(args[0]);
            Outcome o = write(in, args.length == 2 ? Path.of(args[1]) : in);
            o.written().forEach(System.out::println);
            o.unreadable().forEach(u -> System.err.println("unreadable: " + u.message()));
            if (!o.complete()) {
                System.exit(1);
            }
        } catch (ReportException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
