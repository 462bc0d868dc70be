package org.cllmlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.cli.ExitCodes;
import org.cllmlab.experiments.cli.Main;
import org.cllmlab.experiments.run.ProvenanceProbe;
import org.cllmlab.experiments.slurm.ArrayScript;
import org.cllmlab.experiments.slurm.LocalSlurm;
import org.cllmlab.experiments.slurm.Slurm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab run SUITE --slurm} against a real one-node Slurm started on this machine (skipped where Slurm
 * is not installed, unless under CI): the node is this machine, so the forked command works there as built.
 */
class SlurmSuiteTest {

    @RegisterExtension
    static final LocalSlurm SLURM = new LocalSlurm();

    private static final String TINY = "\"preset\": \"tiny\", \"steps\": 1, \"warmup\": 0, \"workers\": 2, "
            + "\"evalBatches\": 0";

    @TempDir
    Path dir;

    /** A suite file of tiny runs: {@code runs} is the JSON list of runs, {@code more} further fields. */
    private Path spec(String name, String more, String runs) throws IOException {
        Path f = dir.resolve(name + ".json");
        Files.writeString(f, "{\"name\": \"" + name + "\", \"defaults\": {" + TINY + "}, " + more + "\"runs\": " + runs
                + "}");
        return f;
    }

    private int lab(Path spec, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("run", spec.toString(), "--out", out.toString(), "--slurm",
                "--poll", "0.5", "--no-progress"));
        args.addAll(List.of(more));
        return Main.execute(SLURM.env(), args.toArray(String[]::new));
    }

    private static List<String> index(Path out, int submission) throws IOException {
        return Files.readAllLines(out.resolve("slurm/submission-" + submission + ".index.tsv"));
    }

    private static String jobOf(Path out, int submission) throws IOException {
        return Files.readAllLines(out.resolve("slurm/submissions.tsv")).stream().filter(l -> l.startsWith(submission
                + "\t")).findFirst().orElseThrow().split("\t")[1];
    }

    private static List<String> logs(Path out, String runId) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("logs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(runId + ".")).sorted().toList();
        }
    }

    @Test
    @Timeout(120)
    void suite_asAJobArray_recordsEachResultAndTheFailure_thenRetriesOnlyTheFailedRun() throws Exception {
        long t0 = System.nanoTime();
        Path spec = spec("cluster", "\"slurm\": {\"time\": \"5\"}, ", "[{\"label\": \"starved\", \"jvmOptions\":"
                + " [\"-Xmx8m\"]}, {\"label\": \"fine\"}, {\"label\": \"pinned\", \"cpus\": 1}]");
        Path out = dir.resolve("out");

        assertThat(lab(spec, out)).isEqualTo(ExitCodes.RUN_FAILED);
        double first = (System.nanoTime() - t0) / 1e9;

        String job = jobOf(out, 1);
        assertThat(index(out, 1)).extracting(l -> l.split("\t")[1])
                .containsExactly("starved-tiny-8k-w2-r1", "fine-tiny-8k-w2-r1", "pinned-tiny-8k-w2-r1");
        assertThat(Files.readString(out.resolve("slurm/submission-1.sh"))).contains("#SBATCH --cpus-per-task=1\n")
                .contains("#SBATCH --time=5\n");
        for (String id : List.of("fine-tiny-8k-w2-r1", "pinned-tiny-8k-w2-r1")) {
            RunResult r = Results.read(out.resolve(id + ".json"));
            assertThat(r.ok()).as("%s: %s", id, r.failure()).isTrue();
            Provenance p = r.provenance();
            // The node's own word: this machine, in array job `job`.
            assertThat(p.host()).isEqualTo(ProvenanceProbe.host());
            assertThat(p.cpuModel()).isEqualTo(ProvenanceProbe.cpuModel());
            assertThat(p.machineCores()).isEqualTo(ProvenanceProbe.machineCores());
            assertThat(p.slurm()).isNotNull();
            assertThat(p.slurm().arrayJobId()).isEqualTo(job);
            assertThat(p.slurm().jobId()).matches("\\d+");
            assertThat(p.slurm().nodeName()).isEqualTo("localhost");
            assertThat(p.jvmFlags()).noneMatch(f -> f.startsWith("-D" + Forks.PARENT_PID_PROPERTY));
            assertThat(logs(out, id)).hasSize(1);
        }
        Provenance pinned = Results.read(out.resolve("pinned-tiny-8k-w2-r1.json")).provenance();
        assertThat(pinned.slurm().arrayTaskId()).isEqualTo("2");
        assertThat(pinned.jvmFlags()).contains("-XX:ActiveProcessorCount=1");
        assertThat(pinned.cores()).isEqualTo(1);
        RunResult starved = Results.read(out.resolve("starved-tiny-8k-w2-r1.json"));
        assertThat(starved.status()).isEqualTo(RunResult.FAILED);
        // The run either writes its own failure (the heap ran out) or dies, and then Slurm's word is recorded.
        assertThat(starved.failure()).containsAnyOf("OutOfMemoryError", "Slurm: FAILED");
        assertThat(starved.config().jvmOptions()).containsExactly("-Xmx8m");
        assertThat(logs(out, "starved-tiny-8k-w2-r1")).containsExactly(ArrayScript.logName("starved-tiny-8k-w2-r1",
                job, 0));
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("report.html")).exists();
        FileTime fineTime = Files.getLastModifiedTime(out.resolve("fine-tiny-8k-w2-r1.json"));

        assertThat(lab(spec, out, "--retry-failed")).isEqualTo(ExitCodes.RUN_FAILED);

        assertThat(index(out, 2)).singleElement().asString().startsWith("0\tstarved-tiny-8k-w2-r1\t");
        String retry = jobOf(out, 2);
        assertThat(retry).isNotEqualTo(job);
        assertThat(logs(out, "starved-tiny-8k-w2-r1")).as("one log per attempt").containsExactly(
                ArrayScript.logName("starved-tiny-8k-w2-r1", job, 0),
                ArrayScript.logName("starved-tiny-8k-w2-r1", retry, 0));
        assertThat(Results.read(out.resolve("starved-tiny-8k-w2-r1.json")).provenance().slurm().arrayJobId())
                .isEqualTo(retry);
        assertThat(Files.getLastModifiedTime(out.resolve("fine-tiny-8k-w2-r1.json"))).isEqualTo(fineTime);
        System.out.printf(Locale.ROOT, "Slurm suite of three runs in %.1f s, the retry of one run in %.1f s%n", first,
                (System.nanoTime() - t0) / 1e9 - first);
    }

    @Test
    @Timeout(120)
    void taskCancelledWhileItRuns_isRecordedAsFailedWithTheReason_andRetryFailedCompletesTheSuite() throws Exception {
        long t0 = System.nanoTime();
        Path spec = spec("cancel", "", "[{\"label\": \"quick\"}, {\"label\": \"long\", \"measureSeconds\": 4}]");
        Path out = dir.resolve("out");
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> lab(spec, out));

        // Cancel the long run once its command has started.
        Path submissions = out.resolve("slurm/submissions.tsv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path log = null;
        while (System.nanoTime() < deadline && !waiting.isDone()) {
            if (log == null && Files.exists(submissions) && Files.readAllLines(submissions).size() > 1) {
                log = out.resolve("logs").resolve(ArrayScript.logName("long-tiny-8k-w2-r1", jobOf(out, 1), 1));
            }
            if (log != null && Files.exists(log) && Files.readString(log).contains("\n$ ")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(log).as("the task's log").isNotNull();
        assertThat(waiting).as("the launcher waits for the tasks").isNotDone();
        String job = jobOf(out, 1);
        new Slurm(SLURM.env()).scancel(job, 1);

        assertThat(waiting.get(90, TimeUnit.SECONDS)).isEqualTo(ExitCodes.RUN_FAILED);
        RunResult cancelled = Results.read(out.resolve("long-tiny-8k-w2-r1.json"));
        assertThat(cancelled.status()).isEqualTo(RunResult.FAILED);
        assertThat(cancelled.failure()).startsWith("Slurm: CANCELLED, ").contains("signal 15")
                .contains("(task " + job + "_1, no result); last output: ");
        assertThat(cancelled.provenance().slurm().arrayJobId()).isEqualTo(job);
        assertThat(Results.read(out.resolve("quick-tiny-8k-w2-r1.json")).ok()).isTrue();
        assertThat(Files.readString(out.resolve("report.md"))).contains("long").contains("failed");

        assertThat(lab(spec, out, "--retry-failed")).isEqualTo(ExitCodes.OK);

        assertThat(index(out, 2)).singleElement().asString().startsWith("0\tlong-tiny-8k-w2-r1\t");
        assertThat(Results.read(out.resolve("long-tiny-8k-w2-r1.json")).ok()).isTrue();
        assertThat(Results.read(out.resolve("quick-tiny-8k-w2-r1.json")).provenance().slurm().arrayJobId())
                .isEqualTo(job);
        assertThat(logs(out, "long-tiny-8k-w2-r1")).hasSize(2);
        System.out.printf(Locale.ROOT, "cancelled task recorded and retried to completion in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Timeout(60)
    void noWait_printsTheJob_andTheSameCommandThenWaitsForItWithoutSubmittingAgain() throws Exception {
        Path spec = spec("later", "", "[{\"label\": \"a\"}]");
        Path out = dir.resolve("out");

        assertThat(lab(spec, out, "--no-wait")).isEqualTo(ExitCodes.OK);
        assertThat(lab(spec, out)).isEqualTo(ExitCodes.OK);

        assertThat(out.resolve("slurm/submission-2.index.tsv")).doesNotExist();
        assertThat(Results.read(out.resolve("a-tiny-8k-w2-r1.json")).provenance().slurm().arrayJobId())
                .isEqualTo(jobOf(out, 1));
        assertThat(out.resolve("report.html")).exists();
    }
}
