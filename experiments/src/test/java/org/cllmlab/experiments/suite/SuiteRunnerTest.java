package org.cllmlab.experiments.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.cli.ExitCodes;
import org.cllmlab.experiments.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Forks real JVMs on the tiny preset, one step each. */
class SuiteRunnerTest {

    private static final String TINY = "\"preset\": \"tiny\", \"steps\": 1, \"warmup\": 0, \"workers\": 2, "
            + "\"evalBatches\": 0";

    @TempDir
    Path dir;

    private SuiteRunner runner(Specs.Suite suite, Path out, Duration timeout, StringWriter text) {
        return new SuiteRunner(suite, out, new SuiteRunner.Options(timeout, false, false), new PrintWriter(text, true),
                List.of());
    }

    private static List<Path> resultFiles(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            // Not the suite file, nor the report the runner writes after every suite.
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("suite.json")
                            && !p.getFileName().toString().equals("summary.json"))
                    .sorted().toList();
        }
    }

    @Test
    @Timeout(180)
    void interruptedSuite_rerun_keepsFinishedRunsAndCompletesTheRest() throws Exception {
        Path spec = dir.resolve("four.json");
        Files.writeString(spec, "{\"name\": \"four\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"a\"},"
                + " {\"label\": \"b\"}, {\"label\": \"c\"}, {\"label\": \"d\"}]}");
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Forks.javaExecutable()));
        cmd.addAll(Forks.runnerFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                spec.toString(), "--out", out.toString(), "--no-progress"));
        Process suite = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (resultFiles(out).isEmpty() && suite.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        suite.destroyForcibly();
        assertThat(suite.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1500); // a run that was in flight notices its runner is gone and stops
        List<Path> finished = resultFiles(out);
        assertThat(finished).as("results after the kill; log:%n%s", Files.readString(dir.resolve("first.log")))
                .isNotEmpty().hasSizeLessThan(4);
        Map<Path, FileTime> times = new HashMap<>();
        Map<Path, byte[]> contents = new HashMap<>();
        for (Path p : finished) {
            times.put(p, Files.getLastModifiedTime(p));
            contents.put(p, Files.readAllBytes(p));
        }

        StringWriter text = new StringWriter();
        SuiteRunner.Outcome o = runner(Specs.fromFile(spec, Specs.Overrides.NONE, SpecsTest.REGISTRIES), out, Duration.ofMinutes(2), text)
                .run();

        assertThat(o.skipped()).as(text.toString()).isEqualTo(finished.size());
        assertThat(o.ran()).isEqualTo(4 - finished.size());
        assertThat(o.allOk()).as(text.toString()).isTrue();
        assertThat(resultFiles(out)).hasSize(4);
        for (Path p : finished) {
            assertThat(Files.getLastModifiedTime(p)).isEqualTo(times.get(p));
            assertThat(Files.readAllBytes(p)).isEqualTo(contents.get(p));
        }
        assertThat(text.toString()).contains("finished before, kept").contains("summary");
    }

    @Test
    @Timeout(120)
    void failingRun_heapFarTooSmall_isRecordedAsFailedAndTheOthersComplete() throws Exception {
        Path spec = dir.resolve("mixed.json");
        Files.writeString(spec, "{\"name\": \"mixed\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\": \"starved\","
                + " \"jvmOptions\": [\"-Xmx8m\"]}, {\"label\": \"fine\"}]}");
        Path out = dir.resolve("out");
        StringWriter text = new StringWriter();

        SuiteRunner.Outcome o = runner(Specs.fromFile(spec, Specs.Overrides.NONE, SpecsTest.REGISTRIES), out, Duration.ofMinutes(2), text)
                .run();

        assertThat(o.failed()).as(text.toString()).isEqualTo(1);
        assertThat(o.ok()).isEqualTo(1);
        RunResult starved = Results.read(out.resolve("starved-tiny-8k-w2-r1.json"));
        assertThat(starved.status()).isEqualTo(RunResult.FAILED);
        assertThat(starved.failure()).containsAnyOf("OutOfMemoryError", "exit code");
        assertThat(starved.config().jvmOptions()).containsExactly("-Xmx8m");
        assertThat(starved.training()).isNull();
        assertThat(Files.readString(out.resolve("logs/starved-tiny-8k-w2-r1.log"))).contains("-Xmx8m");
        RunResult fine = Results.read(out.resolve("fine-tiny-8k-w2-r1.json"));
        assertThat(fine.ok()).isTrue();
        assertThat(fine.memory().breakdown()).isNotEmpty();
        assertThat(fine.provenance().gitCommit()).isNotBlank();
        assertThat(fine.provenance().jvmFlags()).contains("-XX:NativeMemoryTracking=summary");
        assertThat(out.resolve("suite.json")).exists();
        // The reports are written after the suite, and a failed run shows as failed, not as missing.
        assertThat(out.resolve("report.html")).exists();
        assertThat(Files.readString(out.resolve("report.md"))).contains("starved").contains("failed");

        StringWriter again = new StringWriter();
        SuiteRunner.Outcome second = new SuiteRunner(Specs.fromFile(spec, Specs.Overrides.NONE, SpecsTest.REGISTRIES), out,
                new SuiteRunner.Options(Duration.ofMinutes(2), true, false), new PrintWriter(again, true), List.of()).run();
        assertThat(second.ran()).as("--retry-failed redoes only the failed run").isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void runBeyondTheTimeout_isDestroyedAndRecordedAsTimedOut() throws Exception {
        Path spec = dir.resolve("slow.json");
        Files.writeString(spec, "{\"name\": \"slow\", \"runs\": [{\"label\": \"slow\", " + TINY + "}]}");
        Path out = dir.resolve("out");

        SuiteRunner.Outcome o = runner(Specs.fromFile(spec, Specs.Overrides.NONE, SpecsTest.REGISTRIES), out, Duration.ofMillis(300),
                new StringWriter()).run();

        assertThat(o.failed()).isEqualTo(1);
        assertThat(Results.read(out.resolve("slow-tiny-8k-w2-r1.json")).failure()).isEqualTo("timed out after 0.3 s");
    }

    @Test
    void runCommand_invalidSpec_exitsWithBadInputBeforeAnyRun() throws IOException {
        Path spec = dir.resolve("bad.json");
        Files.writeString(spec, "{\"name\": \"bad\", \"runs\": [{\"label\": \"a\", \"workers\": -1}]}");
        Path out = dir.resolve("out");

        int code = Main.execute("run", spec.toString(), "--out", out.toString(), "--no-progress");

        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(out).doesNotExist();
    }
}
