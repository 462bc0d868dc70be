package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.run.ProvenanceProbe;
import org.cllmlab.experiments.run.Terminal;

/**
 * Runs a suite on this machine, one forked JVM after another, into its {@link SuiteFolder}. A run whose
 * result file exists is finished and is skipped (failed ones are redone with {@code retryFailed}), so
 * running the same suite again resumes it. A run that throws, is killed, runs out of memory or exceeds the
 * timeout is recorded as failed and the suite goes on. An interrupted suite (Ctrl-C) stops its run,
 * says how many runs it kept and how to resume.
 */
public final class SuiteRunner {

    public static final String SUITE_FILE = SuiteFolder.SUITE_FILE;

    /**
     * @param timeout     per run; the run's JVM is destroyed after it
     * @param retryFailed redo runs whose result says {@code failed}
     * @param progress    show a progress bar on stderr, when it is a terminal
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

    private final SuiteFolder folder;
    private final Options options;
    private final PrintWriter out;
    private volatile Process current;
    private volatile boolean finished;

    /**
     * @param plugins the plug-in jars every forked run gets (the ones the suite was loaded with)
     */
    public SuiteRunner(Specs.Suite suite, Path dir, Options options, PrintWriter out, List<Path> plugins) {
        this.folder = new SuiteFolder(suite, dir, plugins);
        this.options = options;
        this.out = out;
    }

    public Path resultFile(PlannedRun run) {
        return folder.resultFile(run);
    }

    public Outcome run() throws IOException {
        Specs.Suite suite = folder.suite();
        folder.prepare();
        List<PlannedRun> todo = folder.todo(options.retryFailed());
        int skipped = suite.runs().size() - todo.size();
        out.printf(Locale.ROOT, "suite %s: %d runs, %d to do%s; results in %s%n", suite.name(), suite.runs().size(),
                todo.size(), skipped > 0 ? " (" + skipped + " finished before, kept)" : "", folder.dir());
        out.flush();
        String commit = ProvenanceProbe.commit();
        SuiteProgress progress = new SuiteProgress(todo, Runtime.getRuntime().availableProcessors(),
                options.progress() && Terminal.stderrIsTerminal(), out);
        Thread hook = new Thread(() -> interrupted(progress), "suite-runner-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (progress) {
            for (PlannedRun r : todo) {
                progress.starting(r);
                long start = System.nanoTime();
                RunResult result = runOne(r, commit);
                progress.finished(r, result, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            finished = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        Outcome o = folder.outcome(todo.size(), skipped);
        folder.report(out);
        out.printf("the suite took %s (wall)%n", SuiteProgress.format(progress.elapsed()));
        out.flush();
        return o;
    }

    /** On Ctrl-C (or any shutdown during the runs): stop the current run, say what was kept. */
    private void interrupted(SuiteProgress progress) {
        if (finished) {
            return;
        }
        Process p = current;
        if (p != null) {
            p.destroyForcibly();
        }
        progress.close();
        System.err.println();
        System.err.printf("interrupted: %d of %d runs finished and kept in %s; run the same command to resume%n",
                folder.finished(), folder.suite().runs().size(), folder.dir());
        System.err.flush();
    }

    /** Forks the run's JVM, waits for it within the timeout, and returns its result (written either way). */
    RunResult runOne(PlannedRun run, String commit) throws IOException {
        Path request = folder.writeRequest(run);
        Path resultFile = folder.resultFile(run);
        Files.deleteIfExists(resultFile);
        Path log = folder.logFile(run);
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
                Files.deleteIfExists(resultFile);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + run.runId() + " was running", e);
        } finally {
            current = null;
        }
        if (failure == null) {
            RunResult written = folder.existing(run);
            if (written != null) {
                return written;
            }
            failure = "the run's JVM ended with " + exitDescription(p.exitValue()) + " and no result; last output: "
                    + lastMeaningfulLine(log);
        }
        return folder.recordFailure(run, failure, cmd);
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

    /**
     * An OutOfMemoryError line if there is one, else the last line that is not a stack frame, nor the
     * command ({@code $ ...}) nor the log's first line (the command, or a task's header on Slurm).
     */
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
            if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("Caused by")
                    && !l.startsWith("$ ")
                    && !l.startsWith("WARNING: Using incubator modules")) {
                last = l;
            }
        }
        return last == null ? "(none)" : last;
    }
}
