package org.cllmlab.experiments.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What Slurm 22.05's commands print, as seen on a local cluster, and the forms other versions print. */
class SlurmTextTest {

    @Test
    void parsableJobId_isTheNumberBeforeAnyClusterName() {
        assertThat(SlurmText.parsableJobId("123\n")).isEqualTo("123");
        assertThat(SlurmText.parsableJobId("123;cluster-a\n")).isEqualTo("123");
        assertThatThrownBy(() -> SlurmText.parsableJobId("Submitted batch job 5\n"))
                .hasMessage("\"Submitted batch job 5\" holds no job id");
        assertThatThrownBy(() -> SlurmText.parsableJobId("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expandTasks_readsRangesListsStepsAndThrottles() {
        assertThat(SlurmText.expandTasks("7")).containsExactly(7);
        assertThat(SlurmText.expandTasks("[2-5%2]")).containsExactly(2, 3, 4, 5);
        assertThat(SlurmText.expandTasks("3-5%2")).containsExactly(3, 4, 5);
        assertThat(SlurmText.expandTasks("[1,3,5-7]")).containsExactly(1, 3, 5, 6, 7);
        assertThat(SlurmText.expandTasks("0-8:4")).containsExactly(0, 4, 8);
        assertThatThrownBy(() -> SlurmText.expandTasks("5-2")).hasMessageContaining("\"5-2\"");
        assertThatThrownBy(() -> SlurmText.expandTasks("[a]")).hasMessageContaining("expected indexes");
    }

    @Test
    void squeue_givesOneStatePerTask_expandingPendingRanges() {
        List<TaskState> s = SlurmText.squeue("""
                1_[2-5%2] PENDING JobArrayTaskLimit
                1_1 RUNNING None
                1_0 COMPLETING None
                42 PENDING ReqNodeNotAvail, UnavailableNodes:n[1-3]
                """);
        assertThat(s).extracting(TaskState::id).containsExactly("1_2", "1_3", "1_4", "1_5", "1_1", "1_0", "42");
        assertThat(s.get(0)).isEqualTo(new TaskState("1", 2, "PENDING", "JobArrayTaskLimit"));
        assertThat(s.get(0).pending()).isTrue();
        assertThat(s.get(4).running()).isTrue();
        assertThat(s.get(5).running()).as("completing: its processes may still be ending").isTrue();
        assertThat(s.get(6).task()).isNull();
        assertThat(s.get(6).reason()).isEqualTo("ReqNodeNotAvail, UnavailableNodes:n[1-3]");
        assertThat(SlurmText.squeue("")).isEmpty();
        assertThatThrownBy(() -> SlurmText.squeue("slurm_load_jobs error: Invalid job id specified"))
                .hasMessageContaining("expected ID STATE REASON");
    }

    @Test
    void sacct_skipsSteps_andSplitsWhoCancelled() {
        List<TaskEnd> e = SlurmText.sacct("""
                5_0|COMPLETED|0:0|None
                5_0.batch|COMPLETED|0:0|
                5_1|FAILED|3:0|NonZeroExitCode
                5_2|CANCELLED by 1000|0:15|None
                5_3|TIMEOUT|0:0|TimeLimit
                5_[4-5]|PENDING|0:0|JobArrayTaskLimit
                6|OUT_OF_MEMORY|0:125|OutOfMemory
                """);
        assertThat(e).extracting(TaskEnd::id).containsExactly("5_0", "5_1", "5_2", "5_3", "5_4", "5_5", "6");
        assertThat(e.get(0)).isEqualTo(new TaskEnd("5", 0, "COMPLETED", "None", 0, 0, TaskEnd.Source.SACCT));
        assertThat(e.get(0).succeeded()).isTrue();
        assertThat(e.get(1).describe()).isEqualTo("Slurm: FAILED (NonZeroExitCode), exit status 3");
        assertThat(e.get(2).state()).isEqualTo("CANCELLED");
        assertThat(e.get(2).describe()).isEqualTo("Slurm: CANCELLED (by uid 1000), signal 15");
        assertThat(e.get(3).describe()).isEqualTo("Slurm: TIMEOUT (TimeLimit)");
        assertThat(e.get(4).finished()).isFalse();
        assertThat(e.get(6).task()).isNull();
        assertThat(e.get(6).signal()).isEqualTo(125);
    }

    @Test
    void scontrol_readsEachTasksRecord_andThePendingRest() {
        // scontrol -o show job 1 on Slurm 22.05, trimmed: the pending rest of the array keeps the array's id.
        String out = String.join("\n",
                "JobId=1 ArrayJobId=1 ArrayTaskId=3-5%2 ArrayTaskThrottle=2 JobName=probe UserId=root(0) "
                        + "JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) ExitCode=0:0 RunTime=00:00:00",
                "JobId=4 ArrayJobId=1 ArrayTaskId=2 JobName=probe UserId=root(0) JobState=CANCELLED Reason=None "
                        + "Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:12",
                "JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=a job name with spaces UserId=root(0) JobState=FAILED "
                        + "Reason=NonZeroExitCode ExitCode=3:0 Command=/path with spaces/job.sh StdOut=/x/%A_%a.log",
                "JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=probe JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15",
                "JobId=9 JobName=single JobState=COMPLETED Reason=None ExitCode=0:0",
                "");
        List<TaskEnd> e = SlurmText.scontrol(out);
        assertThat(e).extracting(TaskEnd::id).containsExactly("1_3", "1_4", "1_5", "1_2", "1_1", "1_0", "9");
        assertThat(e.get(0).state()).isEqualTo("PENDING");
        assertThat(e.get(3)).isEqualTo(new TaskEnd("1", 2, "CANCELLED", "None", 0, 15, TaskEnd.Source.SCONTROL));
        assertThat(e.get(3).describe()).isEqualTo("Slurm: CANCELLED, signal 15");
        assertThat(e.get(4).describe()).isEqualTo("Slurm: FAILED (NonZeroExitCode), exit status 3");
        assertThat(e.get(5).describe()).isEqualTo("Slurm: TIMEOUT (TimeLimit), signal 15");
        assertThat(e.get(5).finished()).isTrue();
        assertThat(e.get(6)).isEqualTo(new TaskEnd("9", null, "COMPLETED", "None", 0, 0, TaskEnd.Source.SCONTROL));
        assertThatThrownBy(() -> SlurmText.scontrol("No jobs in the system"))
                .hasMessageContaining("expected JobId=... JobState=...");
    }

    @Test
    void describe_anExitStatusPast128_namesTheSignalTheProgramCaught() {
        // A JVM catches SIGTERM to run its shutdown hooks, then exits 143: Slurm records 143:0, not 0:15.
        assertThat(new TaskEnd("7", 1, "CANCELLED", "None", 143, 0, TaskEnd.Source.SCONTROL).describe())
                .isEqualTo("Slurm: CANCELLED, exit status 143 (128 + signal 15)");
        assertThat(new TaskEnd("7", 1, "FAILED", "NonZeroExitCode", 1, 0, TaskEnd.Source.SCONTROL).describe())
                .isEqualTo("Slurm: FAILED (NonZeroExitCode), exit status 1");
    }

    @Test
    void unknown_saysWhy_andIsNotFinished() {
        TaskEnd u = TaskEnd.unknown("5", 3, "Slurm no longer knows task 5_3");
        assertThat(u.finished()).isFalse();
        assertThat(u.succeeded()).isFalse();
        assertThat(u.describe()).isEqualTo("Slurm: UNKNOWN (Slurm no longer knows task 5_3)");
        assertThat(u.source()).isEqualTo(TaskEnd.Source.NONE);
    }

    @Test
    void oneLine_joinsLinesAndShortens() {
        assertThat(SlurmText.oneLine("  a\n  b \n\nc  ", 100)).isEqualTo("a / b / c");
        assertThat(SlurmText.oneLine("abcdefghij", 8)).isEqualTo("abcde...");
    }
}
