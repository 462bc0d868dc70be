package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.slurm.ArrayScript;
import org.cllmlab.experiments.slurm.Slurm;
import org.cllmlab.experiments.slurm.TaskEnd;
import org.cllmlab.experiments.slurm.TaskState;

/**
 * The tasks of a suite's job arrays being watched, polled together: one {@code squeue} per job, one look
 * at each result file. A task that leaves the queue gets its end from Slurm at once (Slurm forgets a task
 * {@code MinJobAge} after it ended, each on its own); if no result has landed a grace period later (shared
 * storage may show a file late), the run is recorded as failed with Slurm's reason and the end of its log.
 */
final class SlurmWatch {

    /** The header line a task writes first: {@code run ID: task JOB_I on HOST at 2024-05-01T12:00:00+0000}. */
    private static final Pattern HEADER_TIME = Pattern.compile("^run \\S+: task \\S+ on \\S+ at (\\S+)$");
    private static final DateTimeFormatter HEADER_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT);

    /** Told what happens to the watched tasks. */
    interface Listener {
        void started(Task t);

        void finished(Task t, RunResult result, double seconds);
    }

    /** One task watched: its run, where it is, what is known of it. */
    static final class Task {
        final PlannedRun run;
        final String jobId;
        final int index;
        final List<String> command;
        final long added = System.nanoTime();
        Long started;
        TaskState state;
        TaskEnd end;
        long endSeen;
        boolean done;

        Task(PlannedRun run, String jobId, int index, List<String> command) {
            this.run = run;
            this.jobId = jobId;
            this.index = index;
            this.command = command;
        }

        String id() {
            return jobId + "_" + index;
        }
    }

    private final SuiteFolder folder;
    private final Slurm slurm;
    private final Duration resultGrace;
    private final Duration completedGrace;
    private final Path logs;
    final List<Task> tasks = new ArrayList<>();
    Listener listener;

    /**
     * @param resultGrace    how long after a task ended its result may take to show before the run is
     *                       recorded as failed
     * @param completedGrace as {@code resultGrace}, for a task Slurm says completed with exit status 0
     */
    SlurmWatch(SuiteFolder folder, Slurm slurm, Duration resultGrace, Duration completedGrace) {
        this.folder = folder;
        this.slurm = slurm;
        this.resultGrace = resultGrace;
        this.completedGrace = completedGrace;
        this.logs = folder.dir().toAbsolutePath().normalize().resolve("logs");
    }

    /** Watches {@code t}, instead of any task watched for the same run. */
    void add(Task t) {
        tasks.removeIf(o -> o.run.equals(t.run));
        tasks.add(t);
    }

    boolean done() {
        return tasks.stream().allMatch(t -> t.done);
    }

    /** Some task has ended, and its result may still be on its way. */
    boolean settling() {
        return tasks.stream().anyMatch(t -> !t.done && t.end != null);
    }

    List<PlannedRun> unfinishedRuns() {
        return tasks.stream().filter(t -> !t.done).map(t -> t.run).toList();
    }

    /** The jobs with a task not done, in order. */
    List<String> jobs() {
        return tasks.stream().filter(t -> !t.done).map(t -> t.jobId).distinct().toList();
    }

    /** e.g. "job 12: 2 running, 3 queued (Resources), 1 ended (result awaited)". */
    String status() {
        int running = 0;
        int queued = 0;
        int ended = 0;
        Set<String> reasons = new TreeSet<>();
        for (Task t : tasks) {
            if (t.done) {
                continue;
            }
            if (t.end != null) {
                ended++;
            } else if (t.state != null && t.state.running()) {
                running++;
            } else {
                queued++;
                if (t.state != null && !t.state.reason().isEmpty() && !t.state.reason().equals("None")) {
                    reasons.add(t.state.reason());
                }
            }
        }
        StringBuilder sb = new StringBuilder("job ").append(String.join(", ", jobs())).append(": ");
        sb.append(running).append(" running, ").append(queued).append(" queued");
        if (!reasons.isEmpty()) {
            sb.append(" (").append(String.join(", ", reasons)).append(')');
        }
        if (ended > 0) {
            sb.append(", ").append(ended).append(" ended (result awaited)");
        }
        return sb.toString();
    }

    /**
     * One round: the queue of every job with a task not done (a task that has left it gets its end from
     * Slurm, at once, while Slurm still knows it), then the result files; a task that ended without a
     * result past the grace period is recorded as failed.
     */
    void poll() throws IOException {
        Map<String, List<Task>> byJob = new LinkedHashMap<>();
        for (Task t : tasks) {
            if (!t.done && t.end == null) {
                byJob.computeIfAbsent(t.jobId, k -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<String, List<Task>> job : byJob.entrySet()) {
            Map<Integer, TaskState> queue = new LinkedHashMap<>();
            for (TaskState s : slurm.squeue(job.getKey())) {
                if (s.task() != null) {
                    queue.put(s.task(), s);
                }
            }
            long now = System.nanoTime();
            List<Task> gone = new ArrayList<>();
            for (Task t : job.getValue()) {
                TaskState s = queue.get(t.index);
                if (s == null) {
                    gone.add(t);
                    continue;
                }
                t.state = s;
                if (s.running() && t.started == null) {
                    t.started = now;
                    if (listener != null) {
                        listener.started(t);
                    }
                }
            }
            if (!gone.isEmpty()) {
                List<TaskEnd> ends = slurm.ends(job.getKey(), gone.stream().map(t -> t.index).toList());
                for (int i = 0; i < gone.size(); i++) {
                    TaskEnd e = ends.get(i);
                    // scontrol may still say RUNNING or COMPLETING for a moment: ask again next round.
                    if (e.finished() || e.state().equals(TaskEnd.UNKNOWN)) {
                        gone.get(i).end = e;
                        gone.get(i).endSeen = now;
                    }
                }
            }
        }
        long now = System.nanoTime();
        for (Task t : tasks) {
            if (t.done) {
                continue;
            }
            RunResult r = folder.existing(t.run);
            if (r == null && t.end != null && now - t.endSeen >= grace(t.end).toNanos()) {
                r = folder.recordFailure(t.run, reason(t), t.command,
                        new Provenance.SlurmJob(null, t.jobId, Integer.toString(t.index), null));
            }
            if (r != null) {
                t.done = true;
                if (listener != null) {
                    listener.finished(t, r, seconds(t, now));
                }
            }
        }
    }

    /**
     * How long a task took: from the start its log's header gives to its result file's last change, when both
     * can be read (to a second, where polling sees it only to the poll interval, and for a task of an
     * earlier submission, which started before it was watched), else from when it was first seen running (or
     * submitted) to {@code now}.
     */
    private double seconds(Task t, long now) {
        double observed = (now - (t.started != null ? t.started : t.added)) / 1e9;
        Path log = logs.resolve(ArrayScript.logName(t.run.runId(), t.jobId, t.index));
        try (var in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            Matcher m = HEADER_TIME.matcher(first == null ? "" : first);
            if (m.matches()) {
                Instant start = OffsetDateTime.parse(m.group(1), HEADER_FORMAT).toInstant();
                Instant end = Files.getLastModifiedTime(folder.resultFile(t.run)).toInstant();
                double s = Duration.between(start, end).toMillis() / 1000.0;
                if (s >= 0) {
                    return s;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no log, or not a task's: what was observed
        }
        return observed;
    }

    private Duration grace(TaskEnd e) {
        return e.succeeded() ? completedGrace : resultGrace;
    }

    /** Why a task left no result: Slurm's end, which task, and the end of its log. */
    private String reason(Task t) {
        TaskEnd e = t.end;
        String last = "last output: " + lastOutput(t);
        if (e.state().equals(TaskEnd.UNKNOWN)) {
            return "no result, and " + e.reason() + "; " + last;
        }
        if (e.succeeded()) {
            return e.describe() + " (task " + t.id() + "), but no result appeared in " + folder.dir().toAbsolutePath()
                    + " within " + grace(e).toSeconds() + " s: is the folder on storage the nodes share, at the same"
                    + " path?; " + last;
        }
        return e.describe() + " (task " + t.id() + ", no result); " + last;
    }

    /**
     * The end of the task's log (the file the task renamed its output to, or Slurm's own while it had not):
     * Slurm's last note there if it wrote one (e.g. {@code slurmstepd: error: *** JOB 12 ON node3 CANCELLED AT
     * ... DUE TO TIME LIMIT ***}), which says more than what the run printed as it was stopped, else the
     * run's last meaningful line.
     */
    private String lastOutput(Task t) {
        Path log = logs.resolve(ArrayScript.logName(t.run.runId(), t.jobId, t.index));
        if (!Files.isRegularFile(log)) {
            log = logs.resolve(ArrayScript.slurmLogName(t.jobId, t.index));
        }
        if (!Files.isRegularFile(log)) {
            return "(no log: the task never started, or its log is not in " + logs + ")";
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            String note = lines.map(String::strip).filter(l -> l.startsWith("slurmstepd")).reduce((a, b) -> b)
                    .orElse(null);
            if (note != null) {
                return note;
            }
        } catch (IOException | UncheckedIOException e) {
            // read it the plain way below, which says what went wrong
        }
        return SuiteRunner.lastMeaningfulLine(log);
    }
}
