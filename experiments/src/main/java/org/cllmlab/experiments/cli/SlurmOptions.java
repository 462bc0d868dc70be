package org.cllmlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllmlab.core.run.SpecException;
import org.cllmlab.experiments.slurm.ArrayScript;
import org.cllmlab.experiments.slurm.Slurm;
import org.cllmlab.experiments.suite.SlurmLauncher;
import org.cllmlab.experiments.suite.SlurmSpec;
import org.cllmlab.experiments.suite.Specs;
import org.cllmlab.experiments.suite.SuiteFolder;
import org.cllmlab.experiments.suite.SuiteRunner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./lab run SUITE --slurm}: the suite as one Slurm job array, and what sbatch is asked for. The
 * flags override the suite's {@code "slurm"} object, field by field ({@code --sbatch-arg}s come after the
 * suite's {@code sbatchArgs}).
 */
public final class SlurmOptions {

    @Option(names = "--slurm", description = {"Submit the runs without a result (with --retry-failed, the failed"
            + " ones too) to Slurm as one job array, one task per run, then wait for them and write the reports."
            + " The results folder, the JDK and the cllm-lab jar must be on storage the nodes share, at the same"
            + " paths. A run still queued or running from an earlier submission is not submitted twice. With"
            + " --dry-run: print the batch script and the index (array index, run id, command) instead."})
    boolean slurm;

    @Option(names = "--no-wait", description = "With --slurm: submit, print the job id and how to watch, cancel and"
            + " report, and exit 0.")
    boolean noWait;

    @Option(names = "--partition", paramLabel = "NAME", description = "With --slurm: sbatch's --partition.")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "With --slurm: each task's time limit, as sbatch's"
            + " --time takes it (90, 2:00:00, 1-0); a task past it is recorded as failed (TIMEOUT).")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "N", description = "With --slurm: CPUs per task (default: the"
            + " largest \"cpus\" of the runs, else the cluster's default).")
    Integer cpusPerTask;

    @Option(names = "--mem", paramLabel = "SIZE", description = "With --slurm: memory per task, as sbatch's --mem"
            + " takes it (16G).")
    String mem;

    @Option(names = "--throttle", paramLabel = "N", description = "With --slurm: at most N tasks at once"
            + " (--array=0-M%%N).")
    Integer throttle;

    @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "With --slurm: one more sbatch argument, passed"
            + " as it is (repeatable), e.g. --sbatch-arg=--exclusive --sbatch-arg=--qos=long.")
    List<String> sbatchArgs;

    @Option(names = "--poll", paramLabel = "SECONDS", description = "With --slurm: how often to ask Slurm and look"
            + " for results while waiting (default: 5).")
    Double pollSeconds;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Added to the environment of Slurm's commands (tests point them at a cluster of their own). */
    Map<String, String> environment = Map.of();

    /** Whether {@code --slurm} was given; refuses the other Slurm flags without it. */
    boolean requested() {
        if (!slurm) {
            List<String> given = new ArrayList<>();
            for (String flag : List.of("--no-wait", "--partition", "--time", "--cpus-per-task", "--mem", "--throttle",
                    "--sbatch-arg", "--poll")) {
                if (command != null && command.commandLine().getParseResult().hasMatchedOption(flag)) {
                    given.add(flag);
                }
            }
            if (!given.isEmpty()) {
                throw new UserError(String.join(", ", given) + (given.size() == 1 ? " is" : " are")
                        + " for Slurm; expected --slurm with " + (given.size() == 1 ? "it" : "them"));
            }
        }
        return slurm;
    }

    /** What sbatch is asked for: the suite's {@code "slurm"} object, then the flags. */
    ArrayScript.Options sbatch(Specs.Suite suite) {
        ArrayScript.Options fromSpec;
        try {
            fromSpec = SlurmSpec.read(suite.spec().slurm());
        } catch (SpecException e) {
            throw new UserError("suite " + suite.name() + ": " + e.getMessage(), e);
        }
        ArrayScript.Options flags;
        try {
            flags = new ArrayScript.Options(partition, time, cpusPerTask, mem, throttle, sbatchArgs);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        return SlurmSpec.merge(fromSpec, flags);
    }

    private SlurmLauncher launcher(Specs.Suite suite, Path dir, boolean retryFailed, boolean progress,
                                   PrintWriter out, List<Path> plugins) {
        if (pollSeconds != null && !(pollSeconds > 0 && pollSeconds <= 3600)) {
            throw new UserError("poll: " + pollSeconds + "; expected a number of seconds between 0 and 3600");
        }
        Duration poll = pollSeconds == null ? null : Duration.ofMillis(Math.round(pollSeconds * 1000));
        SlurmLauncher.Options options = SlurmLauncher.Options.of(sbatch(suite), retryFailed, !noWait, progress, poll);
        return new SlurmLauncher(new SuiteFolder(suite, dir, plugins), new Slurm(environment), options, out);
    }

    /** {@code --dry-run --slurm}: prints the batch script and the index; submits nothing, needs no Slurm. */
    void dryRun(Specs.Suite suite, Path dir, boolean retryFailed, PrintWriter out, List<Path> plugins) {
        if (requested()) {
            out.println();
            launcher(suite, dir, retryFailed, false, out, plugins).dryRun();
        }
    }

    /**
     * Refuses, before anything is written, a submission that cannot start: {@code --timeout} given, or no
     * Slurm commands on this machine.
     */
    void checkCanSubmit() {
        if (command != null && command.commandLine().getParseResult().hasMatchedOption("--timeout")) {
            throw new UserError("--timeout limits runs on this machine; on Slurm, expected --time (each task's time"
                    + " limit)");
        }
        Optional<String> missing = Slurm.detect(environment);
        if (missing.isPresent()) {
            throw new UserError("--slurm: " + missing.get());
        }
    }

    /** Submits the suite and, unless {@code --no-wait}, waits for it; returns the exit code. */
    int run(Specs.Suite suite, Path dir, boolean retryFailed, boolean progress, PrintWriter out, List<Path> plugins)
            throws IOException {
        checkCanSubmit();
        SlurmLauncher launcher = launcher(suite, dir, retryFailed, progress, out, plugins);
        SuiteRunner.Outcome o = launcher.run();
        if (noWait) {
            return ExitCodes.OK;
        }
        out.printf("%d of %d runs ok, %d failed (%d watched now, %d finished before)%n", o.ok(), o.total(),
                o.failed(), o.ran(), o.skipped());
        out.flush();
        return o.allOk() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
