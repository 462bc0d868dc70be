package org.cllmlab.experiments.slurm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what Slurm's commands print. Pure functions, so that every format seen on a cluster can be tested
 * without one. Each throws {@link IllegalArgumentException} with the offending text on what it cannot read.
 */
final class SlurmText {

    /** {@code 123}, {@code 123_4}, {@code 123_[2-5%2]}; a job id with anything else ({@code 123+0}) is kept whole. */
    private static final Pattern JOB_ID = Pattern.compile("(\\d+)(?:_(\\d+|\\[[^\\]]*\\]))?");

    private static final Set<String> PENDING = Set.of("PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD",
            "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED");
    private static final Set<String> RUNNING = Set.of("RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING", "STOPPED",
            "RESIZING");

    private SlurmText() {
    }

    static boolean pending(String state) {
        return PENDING.contains(state);
    }

    static boolean running(String state) {
        return RUNNING.contains(state);
    }

    /** The job id that {@code sbatch --parsable} printed: {@code 123}, or {@code 123;cluster}. */
    static String parsableJobId(String stdout) {
        List<String> lines = lines(stdout);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        int semicolon = last.indexOf(';');
        String id = semicolon < 0 ? last : last.substring(0, semicolon);
        if (!id.matches("\\d+")) {
            throw new IllegalArgumentException("\"" + oneLine(stdout, 200) + "\" holds no job id");
        }
        return id;
    }

    /**
     * The indexes of an array task range as Slurm prints it: {@code 7}, {@code 2-5}, {@code [2-5%2]},
     * {@code 1,3,5-7}, {@code 0-15:4} (a step); the throttle ({@code %2}) is dropped.
     */
    static List<Integer> expandTasks(String range) {
        String s = range.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int throttle = s.indexOf('%');
        if (throttle >= 0) {
            s = s.substring(0, throttle);
        }
        List<Integer> tasks = new ArrayList<>();
        for (String part : s.split(",")) {
            Matcher m = Pattern.compile("(\\d+)(?:-(\\d+)(?::(\\d+))?)?").matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("array range \"" + range + "\": expected indexes like 2-5 or 1,3");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            if (to < from || step < 1) {
                throw new IllegalArgumentException("array range \"" + range + "\": expected a rising range");
            }
            for (int i = from; i <= to; i += step) {
                tasks.add(i);
            }
        }
        return tasks;
    }

    /** A job id as squeue, sacct or scontrol print it: the job and its tasks ({@code null}: not an array). */
    private record Id(String job, List<Integer> tasks) {
    }

    private static Id id(String text) {
        Matcher m = JOB_ID.matcher(text);
        if (!m.matches() || m.group(2) == null) {
            return new Id(m.matches() ? m.group(1) : text, Collections.singletonList(null));
        }
        return new Id(m.group(1), expandTasks(m.group(2)));
    }

    /**
     * {@code squeue -h -o "%i %T %r"}: one line per job or task, {@code ID STATE REASON}; the reason may hold
     * spaces. A pending range ({@code 123_[2-5%2]}) gives one state per task.
     */
    static List<TaskState> squeue(String stdout) {
        List<TaskState> states = new ArrayList<>();
        for (String line : lines(stdout)) {
            String[] f = line.split("\\s+", 3);
            if (f.length < 2 || !f[1].matches("[A-Z_]+")) {
                throw new IllegalArgumentException("squeue line \"" + line + "\": expected ID STATE REASON");
            }
            Id id = id(f[0]);
            for (Integer task : id.tasks()) {
                states.add(new TaskState(id.job(), task, f[1], f.length > 2 ? f[2].strip() : ""));
            }
        }
        return states;
    }

    /**
     * {@code sacct -X -n -P --format=JobID,State,ExitCode,Reason}: {@code 123_4|TIMEOUT|0:15|TimeLimit}. Steps
     * ({@code 123_4.batch}) are skipped; {@code CANCELLED by 1000} gives state {@code CANCELLED}, reason
     * {@code by uid 1000}.
     */
    static List<TaskEnd> sacct(String stdout) {
        List<TaskEnd> ends = new ArrayList<>();
        for (String line : lines(stdout)) {
            String[] f = line.split("\\|", -1);
            if (f.length < 3) {
                throw new IllegalArgumentException("sacct line \"" + line + "\": expected JobID|State|ExitCode|Reason");
            }
            if (f[0].contains(".")) {
                continue;
            }
            String[] stateWords = f[1].strip().split("\\s+", 2);
            String reason = f.length > 3 ? f[3].strip() : "";
            if (stateWords.length > 1) {
                String more = stateWords[1].replaceFirst("^by (\\d+)$", "by uid $1");
                reason = reason.isEmpty() || reason.equals("None") ? more : reason + ", " + more;
            }
            Exit exit = exit(f[2]);
            Id id = id(f[0].strip());
            for (Integer task : id.tasks()) {
                ends.add(new TaskEnd(id.job(), task, stateWords[0], reason, exit.code(), exit.signal(),
                        TaskEnd.Source.SACCT));
            }
        }
        return ends;
    }

    /**
     * {@code scontrol -o show job ID}: one line of {@code Key=value} per task. Reads {@code JobId},
     * {@code ArrayJobId}, {@code ArrayTaskId} (a range for the tasks still pending), {@code JobState},
     * {@code Reason} and {@code ExitCode} (scontrol writes reasons with {@code _} for spaces).
     */
    static List<TaskEnd> scontrol(String stdout) {
        List<TaskEnd> ends = new ArrayList<>();
        for (String line : lines(stdout)) {
            String jobId = field(line, "JobId");
            String state = field(line, "JobState");
            if (jobId == null || state == null) {
                throw new IllegalArgumentException("scontrol line \"" + oneLine(line, 200)
                        + "\": expected JobId=... JobState=...");
            }
            String arrayJob = field(line, "ArrayJobId");
            String arrayTasks = field(line, "ArrayTaskId");
            List<Integer> tasks = arrayJob != null && arrayTasks != null ? expandTasks(arrayTasks)
                    : Collections.singletonList(null);
            Exit exit = exit(field(line, "ExitCode"));
            String reason = field(line, "Reason");
            for (Integer task : tasks) {
                ends.add(new TaskEnd(arrayJob != null ? arrayJob : jobId, task, state, reason, exit.code(),
                        exit.signal(), TaskEnd.Source.SCONTROL));
            }
        }
        return ends;
    }

    /** The first {@code key=value} of a {@code scontrol -o} line, the value up to the next space. */
    private static String field(String line, String key) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S*)").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** An exit status and the signal that ended a task; {@code null}s when unknown. */
    private record Exit(Integer code, Integer signal) {
    }

    /** {@code 3:0} (exit status 3, no signal), {@code 0:15} (signal 15); unknown when absent or unreadable. */
    private static Exit exit(String text) {
        Matcher m = Pattern.compile("(\\d+):(\\d+)").matcher(text == null ? "" : text.strip());
        return m.matches() ? new Exit(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : new Exit(null, null);
    }

    /** The lines of a command's output that hold something, stripped. */
    private static List<String> lines(String stdout) {
        return stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** {@code text} on one line (line breaks and runs of blanks made one space), at most {@code max} chars. */
    static String oneLine(String text, int max) {
        String s = text.strip().replaceAll("\\s*\\R\\s*", " / ").replaceAll("[ \\t]+", " ");
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
