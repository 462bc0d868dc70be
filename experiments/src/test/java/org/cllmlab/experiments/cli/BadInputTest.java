package org.cllmlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllmlab.experiments.suite.Forks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs a user gets wrong, and the failures a user can cause, each as a user meets them: one line that
 * says what happened and what to change, the right exit code (2 for bad input, 1 for a run that failed,
 * 130 for an interrupt), and no stack trace.
 */
class BadInputTest {

    @TempDir
    Path dir;

    /** One line on stderr, starting "error: ", with no trace, and nothing half-done on stdout. */
    private static void assertOneLine(Lab.Outcome o, int code, String... contains) {
        assertThat(o.code()).as("exit code; stderr: %s", o.err()).isEqualTo(code);
        List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stderr").hasSize(1);
        assertThat(lines.get(0)).startsWith("error: ").contains(contains);
        assertNoTrace(o.err());
    }

    private static void assertNoTrace(String text) {
        assertThat(text).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("Caused by");
    }

    private Path suite(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    private static final String TINY = "\"preset\": \"tiny\", \"steps\": 1, \"warmup\": 0, \"workers\": 2, "
            + "\"evalBatches\": 0";

    // --out: a file in the path, a file system that refuses, a folder the user may not write.

    @Test
    void out_underAFile_exits2BeforeAnyRun() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path spec = suite("s.json", "{\"name\": \"s\", \"runs\": [{\"label\": \"a\", " + TINY + "}]}");

        Lab.Outcome o = Lab.run("run", spec.toString(), "--out", file.resolve("x").toString(), "--no-progress");

        assertOneLine(o, ExitCodes.BAD_INPUT, "--out", "is a file");
        assertThat(o.out()).as("no run started").isEmpty();
    }

    @Test
    void out_inProc_exits2() throws IOException {
        Path spec = suite("s.json", "{\"name\": \"s\", \"runs\": [{\"label\": \"a\", " + TINY + "}]}");

        assertOneLine(Lab.run("run", spec.toString(), "--out", "/proc/x", "--no-progress"), ExitCodes.BAD_INPUT,
                "--out", "'/proc/x'");
    }

    @Test
    void out_aFolderWithoutWritePermission_exits2() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path spec = suite("s.json", "{\"name\": \"s\", \"runs\": [{\"label\": \"a\", " + TINY + "}]}");
        // A user may not write a folder without write permission; root may write anywhere, but not into an
        // immutable folder (chattr +i), which is how this runs as root (CI's case).
        boolean immutable = false;
        if (!(locked.toFile().setWritable(false, false) && !Files.isWritable(locked))) {
            immutable = chattr("+i", locked);
        }
        assumeTrue(immutable || !Files.isWritable(locked),
                "the folder stays writable: not a normal user, and chattr +i is not available here");
        try {
            assertOneLine(Lab.run("run", spec.toString(), "--out", locked.resolve("out").toString(), "--no-progress"),
                    ExitCodes.BAD_INPUT, "--out", "'" + locked.resolve("out") + "'");
            assertOneLine(Lab.run("run", spec.toString(), "--out", locked.toString(), "--no-progress"),
                    ExitCodes.BAD_INPUT, "--out", "'" + locked + "'");
        } finally {
            if (immutable) {
                chattr("-i", locked);
            }
            locked.toFile().setWritable(true, false);
        }
    }

    /** Runs {@code chattr FLAG path}; whether it worked. */
    private static boolean chattr(String flag, Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void learningRateThatDiverges_exits1SayingWhatToChange() {
        Lab.Outcome o = Lab.run("train", "--preset", "tiny", "--steps", "3", "--warmup", "0", "--lr", "1e30",
                "--no-progress");

        assertOneLine(o, ExitCodes.RUN_FAILED, "training diverged", "lower learning rate", "--lr");
    }

    @Test
    void datasetBytesPastTheLimit_statesTheLimit() {
        assertOneLine(Lab.run("train", "--dataset-bytes", "2049m"), ExitCodes.BAD_INPUT, "--dataset-bytes", "2049m",
                "at most");
    }

    @Test
    void fortyThousandPlatformThreads_exits1NamingTheLimitBeforeStartingAny() throws IOException {
        long maps = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/vm/max_map_count")).get(0).strip());
        long pids = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).strip());
        assumeTrue(maps < 2 * 40_000 || pids < 40_000, "this machine could start 40,000 threads");
        long start = System.nanoTime();

        Lab.Outcome o = Lab.run("train", "--preset", "tiny", "--workers", "40000", "--threads", "platform-8m",
                "--steps", "1", "--warmup", "0", "--no-progress");

        assertOneLine(o, ExitCodes.RUN_FAILED, "40,000 platform worker threads cannot all start here", "fit",
                "--threads virtual");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("checked up front").isLessThan(20);
        assertThat(Thread.activeCount()).as("no worker was left behind").isLessThan(200);
    }

    // Specs: no coercion, at any depth, with line and column.

    @Test
    void nestedStringForANumber_namesThePathLineAndColumn() throws IOException {
        Path spec = suite("ten.json", "{\n  \"name\": \"x\",\n  \"runs\": [\n    {\"label\": \"a\",\n"
                + "     \"steps\": \"ten\"}\n  ]\n}\n");

        assertOneLine(Lab.run("run", spec.toString(), "--dry-run"), ExitCodes.BAD_INPUT, "runs[0].steps", "\"ten\"",
                "whole number", "line 5, column 6");
    }

    @Test
    void fractionForAnInteger_andStringForAnInteger_areRefused() throws IOException {
        Path frac = suite("frac.json", "{\"name\": \"x\", \"runs\": [{\"label\": \"a\", \"steps\": 2.7}]}");
        Path str = suite("str.json", "{\"name\": \"x\", \"defaults\": {\"workers\": \"4\"}, \"runs\": [{\"label\": \"a\"}]}");

        assertOneLine(Lab.run("run", frac.toString(), "--dry-run"), ExitCodes.BAD_INPUT, "runs[0].steps", "2.7",
                "whole number", "line 1");
        assertOneLine(Lab.run("run", str.toString(), "--dry-run"), ExitCodes.BAD_INPUT, "defaults.workers", "\"4\"",
                "whole number", "line 1");
    }

    @Test
    void stackTooSmallForARun_isRefusedUpFrontWithTheSizeThatWorks() throws IOException {
        Path spec = suite("xss.json", "{\"name\": \"x\", \"runs\": [{\"label\": \"a\", " + TINY
                + ", \"jvmOptions\": [\"-Xss140k\"]}]}");
        Path out = dir.resolve("out");

        Lab.Outcome o = Lab.run("run", spec.toString(), "--out", out.toString(), "--no-progress");

        assertOneLine(o, ExitCodes.BAD_INPUT, "jvmOptions", "-Xss140k", "expected at least -Xss");
        assertThat(out).as("refused before the suite started").doesNotExist();
    }

    // Reports: every readable file rendered, each unreadable one named, exit 1.

    @Test
    void reportWithATruncatedFile_rendersTheRestAndExits1() throws IOException {
        Path fixtures = Path.of("../reports/src/test/resources/fixtures/lab-results/phases");
        Path in = Files.createDirectory(dir.resolve("in"));
        List<Path> files;
        try (Stream<Path> s = Files.list(fixtures)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().limit(4).toList();
        }
        for (Path f : files) {
            Files.copy(f, in.resolve(f.getFileName()));
        }
        Path broken = in.resolve(files.get(0).getFileName());
        String whole = Files.readString(broken);
        Files.writeString(broken, whole.substring(0, whole.length() / 2));

        Lab.Outcome o = Lab.run("report", in.toString());

        assertThat(o.code()).as(o.err()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(o.err()).contains(broken.getFileName().toString());
        assertNoTrace(o.err());
        String md = Files.readString(in.resolve("report.md"));
        assertThat(md).contains(broken.getFileName().toString());
        assertThat(md).as("the readable files are rendered").contains(files.get(1).getFileName().toString()
                .replaceAll("-r\\d+\\.json$", "").replaceAll("-\\d+[km]$", ""));
    }

    // Failures only a fresh JVM can show: the heap it had, and an interrupt.

    private List<String> java(String... flags) {
        List<String> cmd = new ArrayList<>(List.of(Forks.javaExecutable()));
        cmd.addAll(List.of(flags));
        cmd.addAll(Forks.runnerFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    @Test
    @Timeout(120)
    void heapTooSmallForTheDataset_exits1NamingTheHeapAndHowToRaiseIt() throws Exception {
        List<String> cmd = java("-Xmx200m");
        cmd.addAll(List.of("train", "--dataset-bytes", "500m", "--steps", "1", "--warmup", "0", "--no-progress"));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        assertThat(p.waitFor(110, TimeUnit.SECONDS)).isTrue();

        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(ExitCodes.RUN_FAILED);
        List<String> lines = text.lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(lines).as(text).hasSize(1);
        assertThat(lines.get(0)).contains("ran out of heap", "200 MiB", "-Xmx");
        assertNoTrace(text);
    }

    @Test
    @Timeout(180)
    void interruptedSuite_saysHowManyRunsItKeptAndWhere() throws Exception {
        Path spec = suite("three.json", "{\"name\": \"three\", \"defaults\": {" + TINY + "}, \"runs\": [{\"label\":"
                + " \"a\"}, {\"label\": \"b\"}, {\"label\": \"c\", \"steps\": 400}]}");
        Path out = dir.resolve("out");
        List<String> cmd = java();
        cmd.addAll(List.of("run", spec.toString(), "--out", out.toString(), "--no-progress"));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.exists(out.resolve("b-tiny-8k-w2-r1.json"))) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("still running the long run; stderr: %s", Files.readString(err)).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(130);
        assertThat(text).contains("interrupted: 2 of 3 runs finished and kept in " + out
                + "; run the same command to resume");
        assertNoTrace(text);
        assertThat(out.resolve("a-tiny-8k-w2-r1.json")).exists();
    }

    // The console: help without noise, summaries that are whole sentences.

    @Test
    void help_ofEveryCommand_printsNothingOnStderrAndNoSummaryEndsMidSentence() {
        Lab.Outcome top = Lab.run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.err()).isEmpty();
        List<String> commands = new ArrayList<>();
        boolean inCommands = false;
        List<String> summaries = new ArrayList<>();
        for (String line : top.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                inCommands = false;
            } else if (inCommands) {
                String[] f = line.strip().split("\\s+", 2);
                if (line.startsWith("  ") && !line.startsWith("      ")) {
                    commands.add(f[0]);
                    summaries.add(f.length > 1 ? f[1] : "");
                } else {
                    summaries.set(summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + line.strip());
                }
            }
        }
        assertThat(commands).contains("train", "run", "report", "memory", "bench", "efficiency", "verify", "list");
        assertThat(summaries).as("each command's summary is one whole sentence").allSatisfy(s ->
                assertThat(s).endsWith(".").doesNotContain(". "));
        for (String command : commands) {
            Lab.Outcome o = Lab.run(command, "--help");
            assertThat(o.code()).as(command).isZero();
            assertThat(o.err()).as(command + " --help on stderr").isEmpty();
            assertThat(o.out()).as(command).doesNotContain("WARN").doesNotContain("Could not format");
        }
    }
}
