package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.cllmlab.reports.ConsoleSummary;
import org.cllmlab.reports.ReportException;
import org.cllmlab.reports.ReportGenerator;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.run.RunSpecJson;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.experiments.run.ProvenanceProbe;

/**
 * Runs a suite, one forked JVM per run, into one folder:
 * <pre>
 * DIR/suite.json            the suite as written and every resolved run spec
 * DIR/&lt;runId&gt;.json          one result per run (ok or failed, with the reason), written atomically
 * DIR/requests/&lt;runId&gt;.json what each run was asked to do (the forked JVM reads it)
 * DIR/logs/&lt;runId&gt;.log      the run's stdout and stderr
 * </pre>
 * A run whose result file exists is finished and is skipped (failed ones are redone with
 * {@code retryFailed}), so running the same suite again resumes it. A run that throws, is killed, runs
 * out of memory or exceeds the timeout is recorded as failed and the suite goes on.
 */
public final class SuiteRunner {

    public static final String SUITE_FILE = "suite.json";

    /**
     * @param timeout     per run; the run's JVM is destroyed after it
     * @param retryFailed redo runs whose result says {@code failed}
     * @param progress    show a progress bar (on stderr)
     */
    public record Options(Duration timeout, boolean retryFailed, boolean progress) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

        public Options {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: " + timeout + "; expected a positive number of seconds");
            }
        }
    }

    /** How the suite went: counts over all of its runs, including those finished before. */
    public record Outcome(int total, int ran, int skipped, int ok, int failed) {
        public boolean allOk() {
            return failed == 0 && ok == total;
        }
    }

    private final Specs.Suite suite;
    private final Path dir;
    private final Options options;
    private final PrintWriter out;
    private final List<Path> plugins;
    private volatile Process current;

    /**
     * @param plugins the plug-in jars every forked run gets (the ones the suite was loaded with)
     */
    public SuiteRunner(Specs.Suite suite, Path dir, Options options, PrintWriter out, List<Path> plugins) {
        this.suite = suite;
        this.dir = dir;
        this.options = options;
        this.out = out;
        this.plugins = List.copyOf(plugins);
    }

    public Path resultFile(PlannedRun run) {
        return dir.resolve(run.runId() + ".json");
    }

    public Outcome run() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("requests"));
        checkSameSpecs();
        Results.writeAtomically(dir.resolve(SUITE_FILE), Specs.mapper().writeValueAsBytes(suite.resolved()));
        List<PlannedRun> todo = new ArrayList<>();
        for (PlannedRun r : suite.runs()) {
            RunResult done = existing(r);
            if (done == null || options.retryFailed() && !done.ok()) {
                todo.add(r);
            }
        }
        int skipped = suite.runs().size() - todo.size();
        out.printf(Locale.ROOT, "suite %s: %d runs, %d to do%s; results in %s%n", suite.name(), suite.runs().size(),
                todo.size(), skipped > 0 ? " (" + skipped + " finished before, kept)" : "", dir);
        out.flush();
        String commit = ProvenanceProbe.commit();
        Thread hook = new Thread(this::destroyCurrent, "suite-runner-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ProgressBar bar = progress(todo.size())) {
            int i = 0;
            for (PlannedRun r : todo) {
                i++;
                if (bar != null) {
                    bar.setExtraMessage(r.runId());
                }
                long start = System.nanoTime();
                RunResult result = runOne(r, commit);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (bar != null) {
                    bar.step();
                }
                out.println(line(i, todo.size(), result, seconds));
                out.flush();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        int ok = 0;
        int failed = 0;
        for (PlannedRun r : suite.runs()) {
            RunResult done = existing(r);
            if (done != null && done.ok()) {
                ok++;
            } else {
                failed++;
            }
        }
        afterSuite(dir);
        return new Outcome(suite.runs().size(), todo.size(), skipped, ok, failed);
    }

    /**
     * Called once the suite's runs are finished: prints the statistics summary of every result in
     * {@code dir}, then writes the reports next to the results. A report that cannot be written is
     * said, and loses no result.
     */
    public void afterSuite(Path dir) throws IOException {
        out.println();
        out.println("summary (" + dir + "):");
        try {
            ConsoleSummary.print(ReportGenerator.model(dir), out);
            for (Path written : ReportGenerator.generate(dir)) {
                out.println("wrote " + written);
            }
        } catch (ReportException e) {
            out.println("the report could not be written: " + e.getMessage());
        }
    }

    /** Forks the run's JVM, waits for it within the timeout, and returns its result (written either way). */
    RunResult runOne(PlannedRun run, String commit) throws IOException {
        Path request = dir.resolve("requests").resolve(run.runId() + ".json");
        ForkedRun.Request req = ForkedRun.Request.of(run, plugins);
        Results.writeAtomically(request, Specs.mapper().writeValueAsBytes(req));
        Path resultFile = resultFile(run);
        Files.deleteIfExists(resultFile);
        Path log = dir.resolve("logs").resolve(run.runId() + ".log");
        List<String> cmd = Forks.command(run.spec(), commit, request, resultFile);
        Files.writeString(log, "$ " + String.join(" ", cmd) + System.lineSeparator(), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        current = p;
        String failure = null;
        try {
            if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                long ms = options.timeout().toMillis();
                failure = "timed out after " + (ms % 1000 == 0 ? Long.toString(ms / 1000)
                        : String.format(Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + run.runId() + " was running", e);
        } finally {
            current = null;
        }
        if (failure == null) {
            RunResult written = readOrNull(resultFile);
            if (written != null) {
                return written;
            }
            failure = "the run's JVM ended with " + exitDescription(p.exitValue()) + " and no result; last output: "
                    + lastMeaningfulLine(log);
        } else {
            Files.deleteIfExists(resultFile);
        }
        RunResult failed = ForkedRun.failed(run.runId(), run.suite(), run.spec(), run.repetition(), failure,
                provenance(run, cmd));
        Results.write(resultFile, failed);
        return failed;
    }

    /** Refuses to mix results of different specs under one run id. */
    private void checkSameSpecs() throws IOException {
        for (PlannedRun r : suite.runs()) {
            Path request = dir.resolve("requests").resolve(r.runId() + ".json");
            if (!Files.exists(request) || !Files.exists(resultFile(r))) {
                continue;
            }
            RunSpec before;
            try {
                JsonNode node = Specs.mapper().readTree(request.toFile()).get("spec");
                before = node instanceof ObjectNode o ? RunSpecJson.fromJson(o) : null;
            } catch (IOException | RuntimeException e) {
                continue; // unreadable or from an older format: the run is redone
            }
            if (before != null && !before.equals(r.spec())) {
                throw new UserError("out: " + dir + " holds a result of run " + r.runId() + " made with a different spec"
                        + " (see " + request + "); expected the same suite and flags to resume, or use --fresh or"
                        + " another --out");
            }
        }
    }

    private RunResult existing(PlannedRun r) {
        return readOrNull(resultFile(r));
    }

    private static RunResult readOrNull(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Results.read(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Provenance provenance(PlannedRun run, List<String> cmd) {
        Provenance here = ProvenanceProbe.probe(run.spec().seed(), run.spec().kernels());
        int java = cmd.indexOf(Forks.javaExecutable());
        int cp = cmd.indexOf("-cp");
        return here.withJvmFlags(cmd.subList(java + 1, cp < 0 ? cmd.size() : cp));
    }

    static String exitDescription(int code) {
        if (code == 137) {
            return "exit code 137 (killed by SIGKILL, e.g. by the kernel's out-of-memory killer)";
        }
        if (code > 128 && code < 160) {
            return "exit code " + code + " (signal " + (code - 128) + ")";
        }
        return "exit code " + code;
    }

    /** An OutOfMemoryError line if there is one, else the last line that is not a stack frame. */
    static String lastMeaningfulLine(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
        String last = null;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.contains("OutOfMemoryError")) {
                return l;
            }
            if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("Caused by")) {
                last = l;
            }
        }
        return last == null ? "(none)" : last;
    }

    private String line(int i, int n, RunResult r, double seconds) {
        if (r.ok()) {
            return String.format(Locale.ROOT,
                    "[%d/%d] %s ok in %.1f s (wall): %,.0f tokens/s (wall), peak RSS %.1f MiB (resident)", i, n, r.runId(),
                    seconds, r.training().tokensPerSecond(), r.memory().peakResidentBytes() / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "[%d/%d] %s FAILED in %.1f s: %s", i, n, r.runId(), seconds, r.failure());
    }

    private ProgressBar progress(int total) {
        if (!options.progress() || total == 0) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("runs").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).continuousUpdate().setMaxRenderedLength(110).build();
    }

    private void destroyCurrent() {
        Process p = current;
        if (p != null) {
            p.destroyForcibly();
        }
    }
}
