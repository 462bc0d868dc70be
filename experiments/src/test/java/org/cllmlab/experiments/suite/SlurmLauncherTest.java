package org.cllmlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.experiments.cli.ExitCodes;
import org.cllmlab.experiments.cli.Lab;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.experiments.slurm.ArrayScript;
import org.cllmlab.experiments.slurm.Slurm;
import org.cllmlab.experiments.slurm.StandInSlurm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm launcher's own logic, against stand-in Slurm commands on a PATH of their own (nothing runs on
 * a cluster here): what it submits, what it records when a task ends without a result, what it refuses.
 */
class SlurmLauncherTest {

    private static final String TINY = "\"preset\": \"tiny\", \"steps\": 1, \"warmup\": 0, \"workers\": 2, "
            + "\"evalBatches\": 0";

    @TempDir
    Path dir;

    private StandInSlurm standIns;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        standIns = new StandInSlurm(dir);
        standIns.allCommands();
        env = standIns.env();
    }

    private void command(String name, String body) throws IOException {
        standIns.command(name, body);
    }

    private List<String> calls(String name) throws IOException {
        return standIns.calls(name);
    }

    private Specs.Suite suite(String json) throws IOException {
        Path f = dir.resolve("suite.json");
        Files.writeString(f, json);
        return Specs.fromFile(f, Specs.Overrides.NONE, SpecsTest.REGISTRIES);
    }

    private Specs.Suite twoRuns() throws IOException {
        return suite("{\"name\": \"two\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"a\"},"
                + " {\"label\": \"b\"}]}");
    }

    private SlurmLauncher launcher(Specs.Suite s, Path out, boolean retryFailed, boolean await, StringWriter text) {
        return new SlurmLauncher(new SuiteFolder(s, out, List.of()), new Slurm(env),
                new SlurmLauncher.Options(ArrayScript.Options.DEFAULTS, retryFailed, await, false, Duration.ofMillis(50),
                        Duration.ZERO, Duration.ZERO), new PrintWriter(text, true));
    }

    @Test
    void taskCommand_leavesTheCpusToSlurm_andDoesNotWatchTheLauncher() {
        RunSpec spec = Specs.referenceSpec();
        RunSpec pinned = new RunSpec(spec.label(), spec.role(), spec.shape(), spec.data(), spec.parallelism(),
                spec.schedule(), spec.kernels(), spec.seed(), spec.repetitions(), List.of("-Xmx1g"), 1);
        Path request = dir.resolve("requests/r.json");
        Path result = dir.resolve("r.json");

        List<String> local = Forks.command(pinned, "abc", request, result);
        List<String> task = Forks.taskCommand(pinned, "abc", request, result);

        assertThat(local.get(0)).isEqualTo("taskset");
        assertThat(local).anyMatch(a -> a.startsWith("-D" + Forks.PARENT_PID_PROPERTY + "="));
        assertThat(task.get(0)).isEqualTo(Forks.javaExecutable());
        assertThat(task).noneMatch(a -> a.startsWith("-D" + Forks.PARENT_PID_PROPERTY))
                .contains("-Xmx1g", "-XX:ActiveProcessorCount=1", "-Dcllmlab.commit=abc", ForkedRun.class.getName())
                .endsWith(request.toAbsolutePath().toString(), result.toAbsolutePath().toString());
        // The same command otherwise, flag for flag.
        assertThat(local.subList(3, local.size())).filteredOn(a -> !a.startsWith("-D" + Forks.PARENT_PID_PROPERTY))
                .isEqualTo(task);
    }

    @Test
    void slurmObject_isReadStrictly_andTheFlagsOverrideIt() throws IOException {
        Specs.Suite s = suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"partition\": \"short\","
                + " \"time\": \"1:00:00\", \"cpusPerTask\": 4, \"mem\": \"8G\", \"throttle\": 2, \"sbatchArgs\":"
                + " [\"--qos=low\"]}}");
        ArrayScript.Options spec = SlurmSpec.read(s.spec().slurm());
        assertThat(spec).isEqualTo(new ArrayScript.Options("short", "1:00:00", 4, "8G", 2, List.of("--qos=low")));
        assertThat(SlurmSpec.merge(spec, new ArrayScript.Options(null, "30", 8, null, null, List.of("--qos=high"))))
                .isEqualTo(new ArrayScript.Options("short", "30", 8, "8G", 2, List.of("--qos=low", "--qos=high")));
        assertThat(SlurmSpec.read(null)).isEqualTo(ArrayScript.Options.DEFAULTS);

        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}],\n \"slurm\": {\"cpusPerTask\":"
                + " \"4\"}}")).isInstanceOf(UserError.class)
                .hasMessageContaining("slurm.cpusPerTask: \"4\" (a string); expected a whole number of CPUs per task,"
                        + " 1 or more (at line 2, column")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"throttle\": 0}}"))
                .hasMessageContaining("slurm.throttle: 0 (a number); expected a whole number of tasks at once");
        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"time\": 30}}"))
                .hasMessageContaining("slurm.time: 30 (a number); expected a time limit as sbatch takes it");
        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"partition\":"
                + " \"two words\"}}")).hasMessageContaining("slurm.partition: \"two words\" (a string)")
                .hasMessageContaining("without blanks");
        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"sbatchArgs\":"
                + " \"--exclusive\"}}"))
                .hasMessageContaining("slurm.sbatchArgs: \"--exclusive\" (a string); expected a list");
        assertThatThrownBy(() -> suite("{\"name\": \"s\", \"runs\": [{\"label\": \"a\"}], \"slurm\": {\"qos\": \"x\"}}"))
                .hasMessageContaining("unknown field 'slurm.qos'").hasMessageContaining("expected one of partition, time,"
                        + " cpusPerTask, mem, throttle, sbatchArgs");
    }

    @Test
    void cpusPerTask_isAtLeastWhatARunIsPinnedTo() throws IOException {
        Specs.Suite s = suite("{\"name\": \"s\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"one\", \"cpus\": 1},"
                + " {\"label\": \"two\", \"cpus\": 2}, {\"label\": \"all\"}]}");
        assertThat(SlurmLauncher.withCpus(ArrayScript.Options.DEFAULTS, s.runs()).cpusPerTask()).isEqualTo(2);
        ArrayScript.Options four = new ArrayScript.Options(null, null, 4, null, null, List.of());
        assertThat(SlurmLauncher.withCpus(four, s.runs())).isSameAs(four);
        assertThatThrownBy(() -> SlurmLauncher.withCpus(new ArrayScript.Options(null, null, 1, null, null, List.of()),
                s.runs())).isInstanceOf(UserError.class)
                .hasMessageContaining("run two-tiny-8k-w2-r1 is to use 2 CPUs (its \"cpus\"), so expected at least 2");
        assertThat(SlurmLauncher.withCpus(ArrayScript.Options.DEFAULTS, s.runs().subList(2, 3)).cpusPerTask()).isNull();
    }

    @Test
    void submission_writesTheIndexAndScript_andRecordsAnEndWithoutResultWithSlurmsReason() throws Exception {
        command("sbatch", "echo 42");
        // The queue is empty at once; scontrol remembers how the tasks ended.
        command("scontrol", "echo 'JobId=43 ArrayJobId=42 ArrayTaskId=0 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15'\n"
                + "echo 'JobId=44 ArrayJobId=42 ArrayTaskId=1 JobState=COMPLETED Reason=None ExitCode=0:0'");
        Path out = dir.resolve("out");
        Specs.Suite s = twoRuns();
        // Task 1's result lands (a failure the run itself wrote); task 0 only leaves its log.
        Files.createDirectories(out.resolve("logs"));
        Files.writeString(out.resolve("logs/" + ArrayScript.logName("a-tiny-8k-w2-r1", "42", 0)),
                "run a-tiny-8k-w2-r1: task 42_0 on node7 at now\n$ java ...\nstep 1\n"
                        + "slurmstepd: error: *** JOB 43 ON node7 CANCELLED AT 2024-01-01T00:00:00 DUE TO TIME LIMIT ***\n"
                        + "what the JVM said as it was stopped\n");
        PlannedRun b = s.runs().get(1);
        RunResult bLanded = ForkedRun.failed(b.runId(), b.suite(), b.spec(), 1, "written by the run", null);
        command("squeue", "[ -f " + ArrayScript.shellWord(out.resolve("b-tiny-8k-w2-r1.json").toString()) + " ] || cp "
                + ArrayScript.shellWord(dir.resolve("b.json").toString()) + " "
                + ArrayScript.shellWord(out.resolve("b-tiny-8k-w2-r1.json").toString()));
        Results.write(dir.resolve("b.json"), bLanded);
        StringWriter text = new StringWriter();

        SuiteRunner.Outcome o = launcher(s, out, false, true, text).run();

        assertThat(o.total()).isEqualTo(2);
        assertThat(o.failed()).as(text.toString()).isEqualTo(2);
        assertThat(calls("sbatch")).containsExactly("--parsable " + out.toAbsolutePath() + "/slurm/submission-1.sh");
        List<String> index = Files.readAllLines(out.resolve("slurm/submission-1.index.tsv"));
        assertThat(index).hasSize(2);
        assertThat(index.get(0)).startsWith("0\ta-tiny-8k-w2-r1\t" + Forks.javaExecutable() + " ");
        assertThat(index.get(1)).startsWith("1\tb-tiny-8k-w2-r1\t").doesNotContain(Forks.PARENT_PID_PROPERTY);
        assertThat(Files.readString(out.resolve("slurm/submission-1.sh")))
                .contains("#SBATCH --array=0-1\n", "#SBATCH --job-name=cllm-lab-two\n",
                        "index=" + out.toAbsolutePath() + "/slurm/submission-1.index.tsv\n");
        assertThat(Files.readAllLines(out.resolve("slurm/submissions.tsv"))).hasSize(2).last().asString()
                .startsWith("1\t42\t2\t");
        assertThat(out.resolve("requests/a-tiny-8k-w2-r1.json")).exists();

        RunResult a = Results.read(out.resolve("a-tiny-8k-w2-r1.json"));
        assertThat(a.status()).isEqualTo(RunResult.FAILED);
        assertThat(a.failure()).isEqualTo("Slurm: TIMEOUT (TimeLimit), signal 15 (task 42_0, no result); last output:"
                + " slurmstepd: error: *** JOB 43 ON node7 CANCELLED AT 2024-01-01T00:00:00 DUE TO TIME LIMIT ***");
        assertThat(a.provenance().slurm().arrayJobId()).isEqualTo("42");
        assertThat(a.provenance().slurm().arrayTaskId()).isEqualTo("0");
        assertThat(a.config().jvmOptions()).isEmpty();
        // The result that landed is the run's own word, kept as it is.
        assertThat(Results.read(out.resolve("b-tiny-8k-w2-r1.json")).failure()).isEqualTo("written by the run");
        assertThat(text.toString()).contains("submitted job 42: 2 tasks (array 0-1)")
                .contains("[1/2]").contains("[2/2]").contains("a-tiny-8k-w2-r1 FAILED").contains("b-tiny-8k-w2-r1 FAILED")
                .contains("summary");
        assertThat(out.resolve("report.md")).exists();

        // Again: nothing to submit; with --retry-failed the failed runs, as the next submission.
        command("scontrol", "echo 'JobId=46 ArrayJobId=45 ArrayTaskId=0 JobState=FAILED Reason=NonZeroExitCode"
                + " ExitCode=1:0'; echo 'JobId=47 ArrayJobId=45 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode"
                + " ExitCode=1:0'");
        command("sbatch", "echo 45");
        launcher(s, out, false, true, new StringWriter()).run();
        assertThat(calls("sbatch")).hasSize(1);
        StringWriter retry = new StringWriter();
        launcher(s, out, true, true, retry).run();
        assertThat(calls("sbatch")).hasSize(2).last().asString().endsWith("/slurm/submission-2.sh");
        assertThat(Files.readAllLines(out.resolve("slurm/submission-2.index.tsv"))).hasSize(2).first().asString()
                .startsWith("0\ta-tiny-8k-w2-r1\t");
        assertThat(Results.read(out.resolve("a-tiny-8k-w2-r1.json")).failure())
                .startsWith("Slurm: FAILED (NonZeroExitCode), exit status 1 (task 45_0, no result); last output: (no log");
    }

    @Test
    void aTaskStillQueuedFromAnEarlierSubmission_isWatched_notSubmittedAgain() throws Exception {
        command("sbatch", "echo 7");
        command("squeue", "echo '7_0 RUNNING None'; echo '7_1 PENDING Resources'");
        Path out = dir.resolve("out");
        Specs.Suite s = twoRuns();
        launcher(s, out, false, false, new StringWriter()).run();
        assertThat(calls("sbatch")).hasSize(1);

        StringWriter text = new StringWriter();
        launcher(s, out, true, false, text).run();

        assertThat(calls("sbatch")).as("nothing submitted twice").hasSize(1);
        assertThat(text.toString()).contains("0 to submit, 2 still queued or running in job 7")
                .contains("nothing new to submit").contains("squeue -j 7").contains("scancel 7");
    }

    @Test
    void sbatchRefusal_submitsNothing_andPutsBackTheFailedResults() throws Exception {
        command("sbatch", "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2;"
                + " exit 1");
        Path out = dir.resolve("out");
        Specs.Suite s = twoRuns();
        SuiteFolder folder = new SuiteFolder(s, out, List.of());
        folder.prepare();
        folder.recordFailure(s.runs().get(0), "earlier failure", null);
        byte[] before = Files.readAllBytes(folder.resultFile(s.runs().get(0)));

        assertThatThrownBy(() -> launcher(s, out, true, true, new StringWriter()).run()).isInstanceOf(UserError.class)
                .hasMessageStartingWith("the job array was not submitted: sbatch --parsable ")
                .hasMessageContaining("Invalid partition name specified");

        assertThat(Files.readAllBytes(folder.resultFile(s.runs().get(0)))).isEqualTo(before);
        try (var files = Files.list(out.resolve("slurm"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void cli_dryRun_printsTheScriptAndTheIndex_withoutSlurm_andWritesNothing() throws IOException {
        Path spec = dir.resolve("two.json");
        Files.writeString(spec, "{\"name\": \"two\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"a\"},"
                + " {\"label\": \"b\"}], \"slurm\": {\"partition\": \"short\"}}");
        Path out = dir.resolve("out");

        Lab.Outcome c = Lab.run(Map.of("PATH", dir.resolve("empty").toString()), "run", spec.toString(), "--out",
                out.toString(), "--dry-run", "--slurm", "--time", "10", "--throttle", "1");

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("  a-tiny-8k-w2-r1  (").contains("would submit 2 runs as one job array")
                .contains("batch script (" + out.toAbsolutePath() + "/slurm/submission-1.sh):")
                .contains("#SBATCH --array=0-1%1\n").contains("#SBATCH --partition=short\n").contains("#SBATCH --time=10\n")
                .contains("index (" + out.toAbsolutePath() + "/slurm/submission-1.index.tsv): array index, run id,"
                        + " command")
                .containsPattern("\n0\ta-tiny-8k-w2-r1\t\\S*java .*ForkedRun .*/requests/a-tiny-8k-w2-r1.json .*"
                        + "/a-tiny-8k-w2-r1.json\n1\tb-tiny-8k-w2-r1\t");
        assertThat(out).doesNotExist();
    }

    @Test
    void cli_withoutSbatch_exits2WithOneLineSayingWhatIsMissing() throws IOException {
        Path spec = dir.resolve("two.json");
        Files.writeString(spec, "{\"name\": \"two\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"a\"}]}");

        Lab.Outcome c = Lab.run(Map.of("PATH", dir.resolve("empty").toString()), "run", spec.toString(), "--out",
                dir.resolve("out").toString(), "--slurm");

        assertThat(c.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(c.err()).isEqualTo("error: --slurm: sbatch, squeue, scontrol and scancel are not on PATH (Slurm's"
                + " commands sbatch, squeue, scontrol, scancel are needed)\n");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void cli_slurmFlagsWithoutSlurm_andTimeoutWithIt_areRefused() throws IOException {
        Path spec = dir.resolve("two.json");
        Files.writeString(spec, "{\"name\": \"two\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"a\"}]}");
        String out = dir.resolve("out").toString();

        Lab.Outcome stray = Lab.run(env, "run", spec.toString(), "--out", out, "--partition", "short", "--no-wait");
        assertThat(stray.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(stray.err()).isEqualTo("error: --no-wait, --partition are for Slurm; expected --slurm with them\n");

        Lab.Outcome timeout = Lab.run(env, "run", spec.toString(), "--out", out, "--slurm", "--timeout", "60");
        assertThat(timeout.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(timeout.err()).startsWith("error: --timeout limits runs on this machine; on Slurm, expected --time");

        Lab.Outcome cpus = Lab.run(env, "run", spec.toString(), "--out", out, "--slurm", "--cpus-per-task", "0");
        assertThat(cpus.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cpus.err()).isEqualTo("error: cpus per task: 0; expected 1 or more\n");
        assertThat(calls("sbatch")).isEmpty();
    }
}
