package org.cllmlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.cllmlab.experiments.suite.Specs;
import org.cllmlab.experiments.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab run SUITE|SPEC.json}: a suite of runs, each in its own JVM, resumable, with a summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run a suite of runs, each in its own JVM, and write its reports.",
        description = {"Runs a suite, each run in its own JVM (NMT on), into one folder of result files, then prints"
                + " mean, standard deviation and 95%% confidence interval of tokens/s and of the resident figure per"
                + " run group, and writes the reports. Every spec is validated first.",
                "Built-in suites: phases (the original's four phases and beyond, at its shape: the seed preset with"
                        + " 63 busy workers, on 8 KB and 24 MB of text; --preset small is the quick variant),"
                        + " scaling (every strategy at 1 and 2 CPUs, a calibration and a test of the speedup"
                        + " predictions), stacks (every thread variant at 63, 256 and 1024 workers)."},
        footer = {"",
                "Resuming: a run whose result file exists is finished and is not redone (ok",
                "or failed; --retry-failed redoes failed ones), so the same command again",
                "resumes an interrupted suite. Results are written atomically: an",
                "interruption never loses a finished run. --fresh moves an existing folder",
                "aside to DIR.old-<date-time> and starts again. A folder holding a result of",
                "a different spec for the same run id is refused (--fresh or another --out).",
                "",
                "Folder: DIR/<runId>.json (one per run), DIR/suite.json (resolved suite),",
                "DIR/logs/<runId>.log (each run's output), DIR/requests/<runId>.json.",
                "With --slurm: DIR/slurm/submission-<n>.sh and .index.tsv (each submission's",
                "batch script, and its array index -> run id -> command), DIR/slurm/",
                "submissions.tsv (submission -> job id), DIR/logs/<runId>.<jobId>_<i>.log",
                "(one log per task and attempt).",
                "",
                "Exit codes: 0 every run of the suite is ok; 1 some runs failed (each",
                "recorded with its reason); 2 bad input (unknown suite, invalid spec, bad",
                "flag); 130 interrupted."})
public final class RunCommand implements Callable<Integer> {

    /** Small formatting helpers for the dry run. */
    private static final class Fmt {
        static String seconds(double s) {
            return s == Math.rint(s) ? (long) s + " s" : s + " s";
        }
    }

    @Parameters(index = "0", paramLabel = "SUITE|SPEC.json",
            description = "A built-in suite (phases, scaling, stacks) or a JSON spec file (a suite or one run).")
    String suite;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Model preset for every run: tiny, small or seed (default: the suite's; the phases suite"
                    + " runs the original's shape, seed).")
    String preset;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions of every run (default: the suite's, 1).")
    Integer reps;

    @Option(names = "--steps", paramLabel = "N", description = "Measured steps of every run (default: the suite's).")
    Integer steps;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results folder (default: results/<suite>-<preset> under the current folder).")
    Path out;

    @Option(names = "--resume", description = "Skip runs already finished in the folder (the default).")
    boolean resume;

    @Option(names = "--fresh", description = "Move an existing results folder aside and run everything again.")
    boolean fresh;

    @Option(names = "--retry-failed", description = "Also redo runs recorded as failed.")
    boolean retryFailed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Per-run time limit; the run's JVM is destroyed after it and the run recorded as failed"
                    + " (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--no-progress", description = "Do not show the progress bar.")
    boolean noProgress;

    @Option(names = "--dry-run", description = "Validate the suite and list its runs, without running them.")
    boolean dryRun;

    @Mixin
    LabOptions lab;

    @Mixin
    SlurmOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (resume && fresh) {
            throw new UserError("--resume and --fresh exclude each other; expected one of them");
        }
        if (reps != null && reps < 1) {
            throw new UserError("reps: " + reps + "; expected a positive integer");
        }
        if (steps != null && steps < 1) {
            throw new UserError("steps: " + steps + "; expected a positive integer");
        }
        if (timeoutSeconds <= 0) {
            throw new UserError("timeout: " + timeoutSeconds + "; expected a positive number of seconds");
        }
        Specs.Suite s = Specs.load(suite, new Specs.Overrides(preset, steps, reps), lab.registries());
        Path dir = out != null ? out : Path.of("results", s.name() + "-" + s.preset());
        if (!dryRun && cluster.requested()) {
            cluster.checkCanSubmit();
        }
        OutputFolder.check("--out", dir, !dryRun && !fresh);
        PrintWriter w = spec.commandLine().getOut();
        if (dryRun) {
            w.printf("suite %s: %d runs, into %s%n", s.name(), s.runs().size(), dir);
            s.runs().forEach(r -> {
                var p = r.spec().parallelism();
                var c = r.spec().schedule();
                String warmup = c.adaptiveWarmup() ? c.warmup() + "-" + c.warmupMax() : Integer.toString(c.warmup());
                String measure = c.steps() + (c.timed() ? "+ steps and " + Fmt.seconds(c.measureSeconds()) : " steps");
                w.printf("  %s  (%s, %s x%d, %s, %s, %s, %s%s warm-up + %s, jvm %s)%n", r.runId(),
                        r.spec().preset().id(), p.strategy(), p.workers(), p.threads(), p.hierarchy(), p.caches(),
                        r.spec().cpus() > 0 ? r.spec().cpus() + " cpu, " : "", warmup, measure, r.spec().jvmOptions());
            });
            cluster.dryRun(s, dir, retryFailed, w, lab.pluginJars());
            w.flush();
            return ExitCodes.OK;
        }
        if (fresh && Files.exists(dir)) {
            Path aside = dir.resolveSibling(dir.getFileName() + ".old-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.move(dir, aside);
            w.println("moved the previous results to " + aside);
        }
        if (fresh) {
            OutputFolder.check("--out", dir, true);
        }
        if (cluster.requested()) {
            return cluster.run(s, dir, retryFailed, !noProgress, w, lab.pluginJars());
        }
        SuiteRunner runner = new SuiteRunner(s, dir,
                new SuiteRunner.Options(Duration.ofSeconds(timeoutSeconds), retryFailed, !noProgress), w,
                lab.pluginJars());
        SuiteRunner.Outcome o = runner.run();
        w.printf("%d of %d runs ok, %d failed (%d run now, %d finished before)%n", o.ok(), o.total(), o.failed(),
                o.ran(), o.skipped());
        w.flush();
        return o.allOk() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
