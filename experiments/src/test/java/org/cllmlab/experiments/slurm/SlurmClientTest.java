package org.cllmlab.experiments.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client and the batch script against a real one-node Slurm started on this machine (skipped where
 * Slurm is not installed, unless under CI).
 */
class SlurmClientTest {

    @RegisterExtension
    static final LocalSlurm SLURM = new LocalSlurm();

    @TempDir
    Path dir;

    private static void await(String what, Duration bound, Check check) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + bound.toSeconds() + " s waiting for " + what + "\n"
                        + SLURM.logTails());
            }
            Thread.sleep(200);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    @Timeout(120)
    void anArrayOfThreeTasks_endsAsSlurmReports_withOneLogPerTaskAndAttempt() throws Exception {
        long t0 = System.nanoTime();
        Slurm slurm = new Slurm(SLURM.env());
        Path shared = Files.createDirectories(dir.resolve("shared folder/it's 100%"));
        Path logs = Files.createDirectories(shared.resolve("logs"));
        Path written = shared.resolve("out/written file.txt");
        Files.createDirectories(written.getParent());
        Path index = shared.resolve("index.tsv");
        Files.writeString(index, ArrayScript.index(List.of(
                new ArrayScript.Task("writes", List.of("/bin/sh", "-c", "echo 'to the log'; echo \"$2\" > \"$1\"", "sh",
                        written.toString(), "a b 'c'")),
                new ArrayScript.Task("fails", List.of("/bin/sh", "-c", "echo 'about to fail'; exit 3")),
                new ArrayScript.Task("sleeps", List.of("/bin/sh", "-c", "echo 'sleeping'; exec sleep 300")))));
        Path script = shared.resolve("job.sh");
        Files.writeString(script, ArrayScript.render("client test", 3, index, logs,
                new ArrayScript.Options(null, "5", 1, "100M", null, List.of("--comment=cllm-lab test"))));

        String job = slurm.sbatch(script, List.of());

        // Slurm says RUNNING once the task has its node, maybe before its script starts: wait for what it prints.
        Path sleepsLog = logs.resolve(ArrayScript.logName("sleeps", job, 2));
        await("task 2 to run its command", Duration.ofSeconds(30),
                () -> Files.exists(sleepsLog) && Files.readString(sleepsLog).contains("sleeping"));
        assertThat(slurm.squeue(job)).filteredOn(t -> Integer.valueOf(2).equals(t.task())).singleElement()
                .satisfies(t -> assertThat(t.running()).isTrue());
        slurm.scancel(job, 2);
        await("every task to end", Duration.ofSeconds(30), () -> slurm.squeue(job).isEmpty());
        double ranSeconds = (System.nanoTime() - t0) / 1e9;

        List<TaskEnd> ends = slurm.ends(job, List.of(0, 1, 2));
        assertThat(ends).extracting(TaskEnd::id).containsExactly(job + "_0", job + "_1", job + "_2");
        // This cluster has no accounting: the states come from the controller's memory.
        assertThat(ends).allSatisfy(e -> assertThat(e.source()).isEqualTo(TaskEnd.Source.SCONTROL));
        assertThat(ends.get(0).succeeded()).as("%s", ends.get(0)).isTrue();
        assertThat(ends.get(1)).isEqualTo(new TaskEnd(job, 1, "FAILED", "NonZeroExitCode", 3, 0,
                TaskEnd.Source.SCONTROL));
        assertThat(ends.get(2).state()).isEqualTo("CANCELLED");
        assertThat(ends.get(2).signal()).isEqualTo(15);
        assertThat(ends.get(2).describe()).isEqualTo("Slurm: CANCELLED, signal 15");

        assertThat(Files.readString(written)).isEqualTo("a b 'c'\n");
        try (Stream<Path> s = Files.list(logs)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    ArrayScript.logName("fails", job, 1), ArrayScript.logName("sleeps", job, 2),
                    ArrayScript.logName("writes", job, 0));
        }
        assertThat(Files.readString(logs.resolve(ArrayScript.logName("writes", job, 0))))
                .startsWith("run writes: task " + job + "_0 on ").contains("to the log");
        assertThat(Files.readString(logs.resolve(ArrayScript.logName("fails", job, 1)))).contains("about to fail");
        // Slurm's own note lands in the renamed file, after what the run printed.
        String sleeps = Files.readString(sleepsLog);
        assertThat(sleeps).contains("sleeping").containsPattern("\\*\\*\\* JOB \\d+ ON localhost CANCELLED AT ");
        System.out.printf(Locale.ROOT, "three-task array submitted, cancelled and ended in %.1f s%n", ranSeconds);
    }

    @Test
    @Timeout(60)
    void aHeldThrottledArray_isListedTaskByTask_andCancelledWhole() throws Exception {
        Slurm slurm = new Slurm(SLURM.env());
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path index = dir.resolve("index.tsv");
        Files.writeString(index, ArrayScript.index(List.of(new ArrayScript.Task("a", List.of("true")),
                new ArrayScript.Task("b", List.of("true")), new ArrayScript.Task("c", List.of("true")))));
        Path script = dir.resolve("job.sh");
        Files.writeString(script, ArrayScript.render("held", 3, index, logs,
                new ArrayScript.Options(null, null, null, null, 1, List.of("--hold"))));

        String job = slurm.sbatch(script, List.of());

        List<TaskState> queued = slurm.squeue(job);
        assertThat(queued).extracting(TaskState::task).containsExactly(0, 1, 2);
        assertThat(queued).allSatisfy(t -> {
            assertThat(t.pending()).isTrue();
            assertThat(t.reason()).isEqualTo("JobHeldUser");
        });
        slurm.scancel(job);
        await("the array to leave the queue", Duration.ofSeconds(20), () -> slurm.squeue(job).isEmpty());
        assertThat(slurm.ends(job, List.of(0, 1, 2))).allSatisfy(e -> assertThat(e.state()).isEqualTo("CANCELLED"));
        slurm.scancel(job); // an ended job: no error
    }

    @Test
    void sbatch_refusal_isReportedInOneLine() throws IOException {
        Path script = dir.resolve("job.sh");
        Files.writeString(script, "#!/bin/bash\ntrue\n");
        assertThatThrownBy(() -> new Slurm(SLURM.env()).sbatch(script, List.of("--partition=nowhere")))
                .isInstanceOf(SlurmException.class)
                .hasMessageStartingWith("sbatch --parsable --partition=nowhere " + script + ": exit status 1, printed \"")
                .hasMessageContaining("Invalid partition name specified")
                .hasMessageEndingWith("; expected a job id")
                .hasMessageNotContaining("\n");
    }

    @Test
    void sacct_withoutAccounting_saysSo_andTheClientFallsBack() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LocalSlurm.bin("sacct").toString(), "-j", "1").redirectErrorStream(true);
        pb.environment().putAll(SLURM.env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("accounting storage is disabled");
        assertThat(new Slurm(SLURM.env()).ends("999999", List.of(0))).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskEnd.UNKNOWN);
            assertThat(e.reason()).contains("sacct: Slurm accounting storage is disabled");
        });
    }
}
