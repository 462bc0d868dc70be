package org.cllmlab.experiments.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch script and its index, run with bash as an array task would run them (without Slurm). */
class ArrayScriptTest {

    /** Prints each argument in brackets, one per line, then exits with the status given as $1. */
    private static final List<String> ECHO_ARGS = List.of("/bin/sh", "-c",
            "code=$1; shift; for a; do printf '[%s]\\n' \"$a\"; done; exit \"$code\"", "sh");

    @TempDir
    Path dir;

    /** Writes the index of {@code tasks} and their script, logging to {@code dir/logs}; returns the script. */
    private Path script(ArrayScript.Task... tasks) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("index.tsv"), ArrayScript.index(List.of(tasks)));
        Path script = dir.resolve("job.sh");
        Files.writeString(script, ArrayScript.render("t", tasks.length, dir.resolve("index.tsv"), dir.resolve("logs"),
                ArrayScript.Options.DEFAULTS));
        return script;
    }

    private static List<String> echo(int exit, String... args) {
        List<String> cmd = new java.util.ArrayList<>(ECHO_ARGS);
        cmd.add(Integer.toString(exit));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Ran(int exit, String output) {
    }

    private static Ran bash(Path script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    @Test
    void render_writesTheSbatchLinesInOrder_thenTheBody() {
        String s = ArrayScript.render("phases tiny", 5, Path.of("/shared/s/slurm/index.tsv"), Path.of("/shared/s/logs"),
                new ArrayScript.Options("short", "1:00:00", 4, "8G", 2, List.of("--qos=debug", "--account", "my project")));
        List<String> sbatch = s.lines().filter(l -> l.startsWith("#SBATCH")).toList();
        assertThat(sbatch).containsExactly(
                "#SBATCH --job-name=phases_tiny",
                "#SBATCH --array=0-4%2",
                "#SBATCH --partition=short",
                "#SBATCH --time=1:00:00",
                "#SBATCH --cpus-per-task=4",
                "#SBATCH --mem=8G",
                "#SBATCH --output=/shared/s/logs/slurm-%A_%a.log",
                "#SBATCH --open-mode=append",
                "#SBATCH --no-requeue",
                "#SBATCH --qos=debug --account \"my project\"");
        assertThat(s).startsWith("#!/bin/bash\n");
        // sbatch stops reading #SBATCH lines at the first command: all of them come before the body.
        List<String> lines = s.lines().toList();
        int lastSbatch = lines.lastIndexOf(sbatch.get(sbatch.size() - 1));
        assertThat(lines.subList(0, lastSbatch)).allMatch(l -> l.startsWith("#"));
        assertThat(s).contains("exec \"${argv[@]}\"");
    }

    @Test
    void render_leavesOutWhatIsNotSet_andHasNoThrottleWithoutOne() {
        String s = ArrayScript.render("x", 1, Path.of("/i"), Path.of("/l"), ArrayScript.Options.DEFAULTS);
        assertThat(s.lines().filter(l -> l.startsWith("#SBATCH"))).containsExactly("#SBATCH --job-name=x",
                "#SBATCH --array=0-0", "#SBATCH --output=/l/slurm-%A_%a.log", "#SBATCH --open-mode=append",
                "#SBATCH --no-requeue");
    }

    @Test
    void render_quotesPathsForSbatch_andDoublesPercentSigns() {
        String s = ArrayScript.render("x", 2, Path.of("/i"), Path.of("/a b/it's \"q\" 50%"), ArrayScript.Options.DEFAULTS);
        assertThat(s).contains("#SBATCH --output=\"/a b/it's \\\"q\\\" 50%%/slurm-%A_%a.log\"\n");
    }

    @Test
    void render_refusesWhatSbatchLinesCannotHold() {
        assertThatThrownBy(() -> ArrayScript.render("x", 1, Path.of("/i"), Path.of("/a\\b"), ArrayScript.Options.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("log folder \"/a\\b/")
                .hasMessageContaining("backslash");
        assertThatThrownBy(() -> ArrayScript.render("x", 0, Path.of("/i"), Path.of("/l"), ArrayScript.Options.DEFAULTS))
                .hasMessage("tasks: 0; expected at least one");
        assertThatThrownBy(() -> new ArrayScript.Options("a b", null, null, null, null, null))
                .hasMessageContaining("\"a b\"");
        assertThatThrownBy(() -> new ArrayScript.Options(null, null, 0, null, null, null))
                .hasMessage("cpus per task: 0; expected 1 or more");
        assertThatThrownBy(() -> new ArrayScript.Options(null, null, null, null, 0, null))
                .hasMessageContaining("array throttle: 0");
    }

    @Test
    void task_refusesRunIdsThatCannotNameALog() {
        for (String bad : List.of("", "a/b", "a\tb", "a\nb", "..")) {
            assertThatThrownBy(() -> new ArrayScript.Task(bad, List.of("true")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id");
        }
        assertThatThrownBy(() -> new ArrayScript.Task("a", List.of())).hasMessage("run a: expected a command, got none");
    }

    @Test
    void index_hasOneLinePerTask_withTheCommandAsShellWords() {
        String index = ArrayScript.index(List.of(new ArrayScript.Task("a-r1", List.of("java", "-Xss8m", "/x y/r.json")),
                new ArrayScript.Task("b c", List.of("it's", "tab\there"))));
        assertThat(index).isEqualTo("0\ta-r1\tjava -Xss8m '/x y/r.json'\n1\tb c\t'it'\\''s' $'tab\\there'\n");
    }

    @Test
    void shellWord_leavesPlainWords_quotesTheRest() {
        assertThat(ArrayScript.shellWord("-Dx=1,2:/a.b@c%d+e")).isEqualTo("-Dx=1,2:/a.b@c%d+e");
        assertThat(ArrayScript.shellWord("")).isEqualTo("''");
        assertThat(ArrayScript.shellWord("$HOME *")).isEqualTo("'$HOME *'");
        assertThat(ArrayScript.shellWord("a'b")).isEqualTo("'a'\\''b'");
        assertThat(ArrayScript.shellWord("a\nb\\'")).isEqualTo("$'a\\nb\\\\\\''");
        assertThat(ArrayScript.shellWord("\u0001")).isEqualTo("$'\\x01'");
    }

    @Test
    void script_runsItsLineOfTheIndex_withEveryArgumentIntact_andLogsByRunId() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared folder/it's \"q\" 50% $HOME"));
        Path logs = Files.createDirectories(shared.resolve("logs"));
        Path index = shared.resolve("index.tsv");
        List<String> args = List.of("a b", "it's", "\"dq\"", "$HOME", "", "x\ny", "tab\there", "back\\slash", "*",
                "é ü");
        Files.writeString(index, ArrayScript.index(List.of(new ArrayScript.Task("first", echo(0, "zero")),
                new ArrayScript.Task("second run", echo(3, args.toArray(String[]::new))),
                new ArrayScript.Task("third", echo(0, "two")))));
        Path script = shared.resolve("job.sh");
        Files.writeString(script, ArrayScript.render("t", 3, index, logs, ArrayScript.Options.DEFAULTS));

        Ran ran = bash(script, Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_JOB_ID", "77"));

        assertThat(ran.exit()).as("exit status of the run's command; output: %s", ran.output()).isEqualTo(3);
        Path log = logs.resolve(ArrayScript.logName("second run", "77", 1));
        assertThat(log).exists();
        String text = Files.readString(log);
        StringBuilder expected = new StringBuilder();
        for (String a : args) {
            expected.append('[').append(a).append("]\n");
        }
        assertThat(text).startsWith("run second run: task 77_1 on ").endsWith(expected.toString());
        // The command line, as the shell would take it back, for running the run again by hand.
        assertThat(text.lines().skip(1).findFirst().orElseThrow()).startsWith("$ /bin/sh -c ");
        assertThat(Files.list(logs).map(p -> p.getFileName().toString())).containsExactly("second run.77_1.log");
    }

    @Test
    void script_renamesSlurmsOutputFile_soThatOneFileHoldsTheAttempt() throws Exception {
        Path script = script(new ArrayScript.Task("only", echo(0, "hello")));
        Path logs = dir.resolve("logs");
        // Slurm opens its output file before the script starts; here, the shell that runs it does.
        Path slurmLog = logs.resolve(ArrayScript.slurmLogName("9", 0));
        Files.writeString(slurmLog, "");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(slurmLog.toFile()));
        pb.environment().putAll(Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_JOB_ID", "9"));
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(slurmLog).doesNotExist();
        assertThat(Files.readString(logs.resolve("only.9_0.log"))).startsWith("run only: task 9_0").endsWith("[hello]\n");
    }

    @Test
    void script_namesARequeuedAttemptsLogApart() throws Exception {
        Path script = script(new ArrayScript.Task("only", echo(0, "again")));
        Path logs = dir.resolve("logs");
        Ran ran = bash(script, Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_JOB_ID", "9", "SLURM_RESTART_COUNT", "2"));
        assertThat(ran.exit()).isZero();
        assertThat(logs.resolve("only.9_0.restart2.log")).exists();
    }

    @Test
    void script_saysWhatIsWrong_whenTheIndexHasNoLineForTheTask_orItRunsOutsideAnArray() throws Exception {
        Path script = script(new ArrayScript.Task("only", echo(0)));
        Path index = dir.resolve("index.tsv");

        Ran missingLine = bash(script, Map.of("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_JOB_ID", "9"));
        assertThat(missingLine.exit()).isEqualTo(2);
        assertThat(missingLine.output()).contains("task 4: the index " + index + " has no line 4");

        Ran outside = bash(script, Map.of());
        assertThat(outside.exit()).isNotZero();
        assertThat(outside.output()).contains("SLURM_ARRAY_TASK_ID").contains("task of a Slurm job array");

        Files.delete(index);
        Ran noIndex = bash(script, Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_JOB_ID", "9"));
        assertThat(noIndex.exit()).isEqualTo(2);
        assertThat(noIndex.output()).contains("task 0: cannot read the index " + index);
    }
}
