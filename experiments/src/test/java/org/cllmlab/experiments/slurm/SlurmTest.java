package org.cllmlab.experiments.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against stand-in commands on a PATH of their own: what it runs, and every kind of answer. */
class SlurmTest {

    @TempDir
    Path dir;

    private StandInSlurm standIns;
    private Path bin;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        standIns = new StandInSlurm(dir);
        bin = standIns.bin();
        env = standIns.env();
    }

    private void command(String name, String body) throws IOException {
        standIns.command(name, body);
    }

    private List<String> args(String name) throws IOException {
        return standIns.args(name);
    }

    private void allCommands() throws IOException {
        standIns.allCommands();
    }

    @Test
    void detect_namesWhatIsMissing_inOneLine() throws IOException {
        assertThat(Slurm.detect(Map.of("PATH", bin.toString())))
                .contains("sbatch, squeue, scontrol and scancel are not on PATH (Slurm's commands sbatch, squeue, "
                        + "scontrol, scancel are needed)");
        command("squeue", "exit 0");
        command("scontrol", "exit 0");
        command("scancel", "exit 0");
        assertThat(Slurm.detect(Map.of("PATH", bin.toString()))).hasValueSatisfying(
                m -> assertThat(m).startsWith("sbatch is not on PATH (").doesNotContain("\n"));
        command("sbatch", "exit 0");
        assertThat(Slurm.detect(Map.of("PATH", bin.toString()))).isEmpty();
    }

    @Test
    void sbatch_passesTheExtraArgumentsBeforeTheScript_andReturnsTheJobId() throws Exception {
        command("sbatch", "echo '4711;cluster'");
        Path script = dir.resolve("a b.sh");
        String id = new Slurm(env).sbatch(script, List.of("--partition=short", "--comment", "x y"));
        assertThat(id).isEqualTo("4711");
        assertThat(args("sbatch")).containsExactly("--parsable", "--partition=short", "--comment", "x y",
                script.toString());
    }

    @Test
    void sbatch_failure_isOneLineWithTheCommandWhatItPrintedAndWhatWasExpected() throws Exception {
        command("sbatch", "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\n"
                + "echo 'second line' >&2; exit 1");
        Path script = dir.resolve("job.sh");
        assertThatThrownBy(() -> new Slurm(env).sbatch(script, List.of("--partition=nope")))
                .isInstanceOf(SlurmException.class)
                .hasMessage("sbatch --parsable --partition=nope " + script + ": exit status 1, printed \"sbatch: error: "
                        + "Batch job submission failed: Invalid partition name specified / second line\"; expected a job id");
        command("sbatch", "echo 'Submitted batch job 12'");
        assertThatThrownBy(() -> new Slurm(env).sbatch(script, List.of()))
                .hasMessage("sbatch --parsable " + script + ": exit status 0, printed \"Submitted batch job 12\"; "
                        + "expected a job id");
    }

    @Test
    void squeue_asksForOneLinePerTask_andAJobSlurmForgotIsNoLongerQueued() throws Exception {
        command("squeue", "echo '8_[1-2] PENDING Resources'; echo '8_0 RUNNING None'");
        assertThat(new Slurm(env).squeue("8")).extracting(TaskState::id).containsExactly("8_1", "8_2", "8_0");
        assertThat(args("squeue")).containsExactly("-h", "-r", "-j", "8", "-o", "%i %T %r");

        command("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1");
        assertThat(new Slurm(env).squeue("8")).isEmpty();

        command("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; "
                + "exit 1");
        assertThatThrownBy(() -> new Slurm(env).squeue("8")).isInstanceOf(SlurmException.class)
                .hasMessage("squeue -h -r -j 8 -o %i %T %r: exit status 1, printed \"slurm_load_jobs error: Unable to "
                        + "contact slurm controller (connect failure)\"; expected one line per task: ID STATE REASON");
        assertThatThrownBy(() -> new Slurm(env).squeue("8_1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ends_comeFromSacct_whenAccountingWorks() throws Exception {
        command("sacct", "echo '8_0|COMPLETED|0:0|None'; echo '8_0.batch|COMPLETED|0:0|'; echo '8_1|TIMEOUT|0:0|TimeLimit'");
        command("scontrol", "echo 'scontrol must not be asked' >&2; exit 1");
        List<TaskEnd> ends = new Slurm(env).ends("8");
        assertThat(ends).extracting(TaskEnd::id, TaskEnd::state, TaskEnd::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple("8_0", "COMPLETED", TaskEnd.Source.SACCT),
                org.assertj.core.groups.Tuple.tuple("8_1", "TIMEOUT", TaskEnd.Source.SACCT));
        assertThat(args("sacct")).containsExactly("-X", "-n", "-P", "-j", "8", "--format=JobID,State,ExitCode,Reason");
    }

    @Test
    void ends_comeFromScontrol_withoutAccounting_andForgottenTasksAreUnknownWithWhy() throws Exception {
        command("sacct", "echo 'Slurm accounting storage is disabled' >&2; exit 1");
        command("scontrol", "echo 'JobId=9 ArrayJobId=8 ArrayTaskId=1 JobName=x JobState=FAILED Reason=NonZeroExitCode "
                + "ExitCode=3:0'");
        List<TaskEnd> ends = new Slurm(env).ends("8", List.of(0, 1));
        assertThat(args("scontrol")).containsExactly("-o", "show", "job", "8");
        assertThat(ends.get(1)).isEqualTo(new TaskEnd("8", 1, "FAILED", "NonZeroExitCode", 3, 0, TaskEnd.Source.SCONTROL));
        assertThat(ends.get(0).state()).isEqualTo(TaskEnd.UNKNOWN);
        assertThat(ends.get(0).reason()).isEqualTo("Slurm no longer knows task 8_0 (sacct: Slurm accounting storage is "
                + "disabled; the controller forgets a job MinJobAge after it ends)");

        command("scontrol", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1");
        assertThat(new Slurm(env).ends("8")).isEmpty();
        assertThat(new Slurm(env).ends("8", List.of(3))).singleElement()
                .satisfies(e -> assertThat(e.finished()).isFalse());
    }

    @Test
    void ends_withoutSacct_askScontrol() throws Exception {
        command("scontrol", "echo 'JobId=9 JobName=x JobState=COMPLETED Reason=None ExitCode=0:0'");
        Slurm slurm = new Slurm(Map.of("PATH", bin.toString()));
        assertThat(slurm.ends("9")).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.task()).isNull();
        });
        assertThat(slurm.ends("9", List.of(0)).get(0).reason()).contains("sacct is not on PATH");
    }

    @Test
    void scancel_cancelsAJobOrOneTask_andAnEndedJobIsNoError() throws Exception {
        command("scancel", "exit 0");
        new Slurm(env).scancel("8");
        assertThat(args("scancel")).containsExactly("8");
        new Slurm(env).scancel("8", 2);
        assertThat(args("scancel")).containsExactly("8_2");
        command("scancel", "echo 'scancel: error: Kill job error on job id 8: Job/step already completing or completed' "
                + ">&2; exit 1");
        new Slurm(env).scancel("8");
        command("scancel", "echo 'scancel: error: Kill job error on job id 8: Access/permission denied' >&2; exit 1");
        assertThatThrownBy(() -> new Slurm(env).scancel("8")).hasMessageStartingWith("scancel 8: exit status 1, "
                + "printed \"scancel: error: Kill job error on job id 8: Access/permission denied\"");
    }

    @Test
    void aCommandThatDoesNotAnswer_isKilledAndReported() throws Exception {
        allCommands();
        command("squeue", "exec sleep 30");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Slurm(env, Duration.ofMillis(300)).squeue("8"))
                .hasMessage("squeue -h -r -j 8 -o %i %T %r: no answer within 0.3 s; expected the controller to answer "
                        + "(is slurmctld up?)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingCommand_isReportedByName() {
        assertThatThrownBy(() -> new Slurm(Map.of("PATH", bin.toString())).scancel("1"))
                .isInstanceOf(SlurmException.class).hasMessage("scancel is not on PATH (" + bin + ")");
    }
}
