package org.cllmlab.experiments.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The batch script of a job array in which task {@code i} runs the command on line {@code i} of an index
 * file, and the index file itself. Pure text: nothing here runs or submits.
 *
 * <p>The index has one line per task: {@code INDEX<TAB>RUN_ID<TAB>COMMAND}, the command as shell words
 * (each quoted when it needs it), so that a line can be read, and a run retried by hand, with a shell.
 *
 * <p>Each task writes one log per attempt, {@code LOGS/<runId>.<jobId>_<index>.log} (with
 * {@code .restart<N>} before {@code .log} if Slurm requeued the task): Slurm writes the task's output to
 * {@code LOGS/slurm-<jobId>_<index>.log} and the script, once it knows its run id, renames that file, which
 * Slurm keeps writing to (its own notes, such as {@code CANCELLED AT ... DUE TO TIME LIMIT}, included).
 * Tasks are not requeued ({@code --no-requeue}); a resubmission is a new job id, hence a new log.
 */
public final class ArrayScript {

    /** Characters a run id cannot hold: it names a log file and is a field of the index. */
    private static final Pattern BAD_RUN_ID = Pattern.compile("[/\\\\\\t\\n\\r\\x00-\\x1f\\x7f]");

    /** Words a shell reads as they are. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ArrayScript() {
    }

    /**
     * What {@code sbatch} is asked for, beyond the array. {@code null} (or an empty list) leaves a setting
     * to the cluster's defaults.
     *
     * @param partition   {@code --partition}
     * @param timeLimit   {@code --time}, in any form sbatch takes ({@code 30}, {@code 1:00:00}, {@code 2-0})
     * @param cpusPerTask {@code --cpus-per-task}
     * @param memory      {@code --mem}, e.g. {@code 4G}
     * @param throttle    at most this many tasks at once ({@code --array=0-N%P})
     * @param extraArgs   further sbatch arguments, passed through as they are
     */
    public record Options(String partition, String timeLimit, Integer cpusPerTask, String memory, Integer throttle,
                          List<String> extraArgs) {

        public static final Options DEFAULTS = new Options(null, null, null, null, null, List.of());

        public Options {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
            if (cpusPerTask != null && cpusPerTask < 1) {
                throw new IllegalArgumentException("cpus per task: " + cpusPerTask + "; expected 1 or more");
            }
            if (throttle != null && throttle < 1) {
                throw new IllegalArgumentException("array throttle: " + throttle + "; expected 1 or more tasks at once");
            }
            for (String s : new String[] {partition, timeLimit, memory}) {
                if (s != null && (s.isBlank() || s.chars().anyMatch(Character::isWhitespace))) {
                    throw new IllegalArgumentException("sbatch option \"" + s + "\": expected a value without blanks");
                }
            }
        }
    }

    /**
     * One task of the array.
     *
     * @param runId   names the task's log; no {@code /}, backslash, tab or line break
     * @param command the program and its arguments, run with {@code exec}
     */
    public record Task(String runId, List<String> command) {
        public Task {
            Objects.requireNonNull(runId, "runId");
            if (runId.isEmpty() || runId.equals(".") || runId.equals("..") || BAD_RUN_ID.matcher(runId).find()) {
                throw new IllegalArgumentException("run id \"" + runId + "\": expected a file name without '/', "
                        + "backslashes, tabs or line breaks");
            }
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("run " + runId + ": expected a command, got none");
            }
        }
    }

    /** The index file's text: line {@code i} is {@code i<TAB>runId<TAB>command}. */
    public static String index(List<Task> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks: none; expected at least one");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            sb.append(i).append('\t').append(t.runId()).append('\t').append(shellWords(t.command())).append('\n');
        }
        return sb.toString();
    }

    /** The file a task's attempt logs to: {@code <runId>.<jobId>_<index>.log}. */
    public static String logName(String runId, String jobId, int index) {
        return runId + "." + jobId + "_" + index + ".log";
    }

    /** The file Slurm itself writes a task's output to, until the task renames it. */
    public static String slurmLogName(String jobId, int index) {
        return "slurm-" + jobId + "_" + index + ".log";
    }

    /**
     * The batch script of an array of {@code tasks} tasks, numbered from 0, each running its line of
     * {@code indexFile} and logging into {@code logDir}. Both paths should be absolute and on storage the
     * nodes share.
     *
     * @param jobName Slurm's job name ({@code --job-name}); characters other than letters, digits,
     *                {@code . _ -} become {@code _}
     */
    public static String render(String jobName, int tasks, Path indexFile, Path logDir, Options options) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks: " + tasks + "; expected at least one");
        }
        Objects.requireNonNull(options, "options");
        String name = jobName == null || jobName.isBlank() ? "cllm-lab" : jobName.replaceAll("[^A-Za-z0-9._-]", "_");
        String index = indexFile.toString();
        String logs = logDir.toString();
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("# cllm-lab job array: task I runs line I of the index (I, run id, command), logging to");
        lines.add("# LOGS/<run id>.<job id>_<I>.log. Slurm reads the #SBATCH lines; the shell skips them.");
        lines.add("#SBATCH --job-name=" + name);
        lines.add("#SBATCH --array=0-" + (tasks - 1) + (options.throttle() == null ? "" : "%" + options.throttle()));
        if (options.partition() != null) {
            lines.add("#SBATCH --partition=" + sbatchWord(options.partition(), "partition"));
        }
        if (options.timeLimit() != null) {
            lines.add("#SBATCH --time=" + sbatchWord(options.timeLimit(), "time limit"));
        }
        if (options.cpusPerTask() != null) {
            lines.add("#SBATCH --cpus-per-task=" + options.cpusPerTask());
        }
        if (options.memory() != null) {
            lines.add("#SBATCH --mem=" + sbatchWord(options.memory(), "memory"));
        }
        // %% is a literal % in sbatch's file name patterns; %A is the array's job id, %a the task's index.
        lines.add("#SBATCH --output=" + sbatchWord(logs.replace("%", "%%") + "/slurm-%A_%a.log", "log folder"));
        lines.add("#SBATCH --open-mode=append");
        lines.add("#SBATCH --no-requeue");
        if (!options.extraArgs().isEmpty()) {
            StringBuilder extra = new StringBuilder("#SBATCH");
            for (String a : options.extraArgs()) {
                extra.append(' ').append(sbatchWord(a, "extra sbatch argument"));
            }
            lines.add(extra.toString());
        }
        lines.add("");
        lines.add("set -u");
        lines.add("index=" + shellWord(index));
        lines.add("logs=" + shellWord(logs));
        lines.add("task=\"${SLURM_ARRAY_TASK_ID:?is not set: this script runs as a task of a Slurm job array}\"");
        lines.add("job=\"${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-local}}\"");
        lines.add("TAB=$'\\t'");
        lines.add("line=");
        lines.add("while IFS= read -r l || [ -n \"$l\" ]; do");
        lines.add("  if [ \"${l%%\"$TAB\"*}\" = \"$task\" ]; then line=$l; break; fi");
        lines.add("done < \"$index\" || { echo \"task $task: cannot read the index $index\" >&2; exit 2; }");
        lines.add("if [ -z \"$line\" ]; then echo \"task $task: the index $index has no line $task\" >&2; exit 2; fi");
        lines.add("rest=${line#*\"$TAB\"}");
        lines.add("run=${rest%%\"$TAB\"*}");
        lines.add("cmd=${rest#*\"$TAB\"}");
        lines.add("log=\"$logs/$run.${job}_$task.log\"");
        lines.add("if [ \"${SLURM_RESTART_COUNT:-0}\" != 0 ]; then"
                + " log=\"$logs/$run.${job}_$task.restart$SLURM_RESTART_COUNT.log\"; fi");
        lines.add("# Slurm keeps writing to its output file under the new name; elsewhere, write to the log directly.");
        lines.add("mv -f -- \"$logs/slurm-${job}_$task.log\" \"$log\" 2>/dev/null || exec >>\"$log\" 2>&1");
        lines.add("eval \"argv=($cmd)\" && [ ${#argv[@]} -gt 0 ]"
                + " || { echo \"task $task: no command in line $task of $index\" >&2; exit 2; }");
        lines.add("echo \"run $run: task ${job}_$task on ${HOSTNAME:-$(uname -n)} at $(date '+%Y-%m-%dT%H:%M:%S%z')\"");
        lines.add("printf '$'; printf ' %q' \"${argv[@]}\"; echo");
        lines.add("exec \"${argv[@]}\"");
        return String.join("\n", lines) + "\n";
    }

    /** {@code words} as one line of shell words, each quoted when it needs it. */
    public static String shellWords(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(shellWord(w));
        }
        return sb.toString();
    }

    /**
     * {@code s} as one shell word: as it is when it is plain, else in single quotes, else (when it holds
     * control characters, line breaks included) in {@code $'...'} with escapes, so that it stays on one line.
     */
    public static String shellWord(String s) {
        if (PLAIN_WORD.matcher(s).matches()) {
            return s;
        }
        boolean control = s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (!control) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
        StringBuilder sb = new StringBuilder("$'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }

    /**
     * {@code s} as one word of an {@code #SBATCH} line: sbatch splits those lines at blanks outside double
     * quotes and takes a backslash as an escape. A value with a backslash or a line break is refused: sbatch
     * would drop the backslash (and a backslash turns off its file name patterns).
     */
    static String sbatchWord(String s, String what) {
        if (s.contains("\\") || s.contains("\n") || s.contains("\r")) {
            throw new IllegalArgumentException(what + " \"" + s + "\": expected no backslashes or line breaks "
                    + "(sbatch's #SBATCH lines cannot hold them)");
        }
        if (!s.isEmpty() && !s.matches(".*[\\s\"'#].*")) {
            return s;
        }
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
