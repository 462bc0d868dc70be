package org.cllmlab.experiments.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.experiments.run.ProvenanceProbe;
import org.cllmlab.experiments.run.Terminal;
import org.cllmlab.experiments.slurm.ArrayScript;
import org.cllmlab.experiments.slurm.Slurm;
import org.cllmlab.experiments.slurm.SlurmException;

/**
 * Runs a suite on a Slurm cluster, into its {@link SuiteFolder}: the runs without a result (and, with
 * {@code retryFailed}, the failed ones) go as one job array, whose task {@code i} runs one run exactly as
 * the local runner does (the same forked JVM and flags, the result written atomically into the folder),
 * on whichever node Slurm picks. The folder must therefore be on storage the nodes share, at the same path.
 * <pre>
 * DIR/slurm/submission-&lt;n&gt;.sh         the n-th submission's batch script
 * DIR/slurm/submission-&lt;n&gt;.index.tsv  its tasks, one line each: array index, run id, command
 * DIR/slurm/submissions.tsv            one line per submission: n, job id, tasks, when
 * DIR/logs/&lt;runId&gt;.&lt;jobId&gt;_&lt;i&gt;.log   one log per task and attempt
 * </pre>
 * The files are named by a counter because the batch script names its index before Slurm has given the
 * job its id; {@code submissions.tsv} maps one to the other.
 *
 * <p>Waiting, it watches the tasks with {@code squeue} and the result files as they land, and records each
 * task's end as soon as it leaves the queue (Slurm may forget a task minutes after it ended): a task that
 * ended without a result is recorded as a failed run with Slurm's reason and the end of its log. A run that
 * is still queued or running in an earlier submission is watched, never submitted twice, so the same
 * command again (after {@code --no-wait}, or an interrupted wait) picks up where the last one left off.
 */
public final class SlurmLauncher {

    /** Where the batch scripts and indexes go, under the suite's folder. */
    public static final String SLURM_DIR = "slurm";
    /** One line per submission: number, job id, tasks, when. */
    public static final String SUBMISSIONS = "submissions.tsv";

    private static final Pattern INDEX_FILE = Pattern.compile("submission-(\\d+)\\.index\\.tsv");
    /** How long Slurm may not answer while the launcher waits before it gives up waiting (the jobs go on). */
    private static final Duration OUTAGE = Duration.ofMinutes(5);

    /**
     * @param sbatch         what sbatch is asked for (merged from the suite's {@code "slurm"} object and the flags)
     * @param retryFailed    submit the runs recorded as failed too
     * @param await          wait for the tasks to end, then write the reports
     * @param progress       show a progress bar on stderr, when it is a terminal
     * @param poll           how often Slurm is asked and the folder looked at while waiting
     * @param resultGrace    how long after a task ended its result may take to show (shared storage can lag)
     *                       before the run is recorded as failed
     * @param completedGrace as {@code resultGrace}, for a task Slurm says completed with exit status 0: its
     *                       result was written, so only the storage can hold it back
     */
    public record Options(ArrayScript.Options sbatch, boolean retryFailed, boolean await, boolean progress,
                          Duration poll, Duration resultGrace, Duration completedGrace) {

        public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
        public static final Duration DEFAULT_RESULT_GRACE = Duration.ofSeconds(5);
        public static final Duration DEFAULT_COMPLETED_GRACE = Duration.ofSeconds(60);

        public Options {
            if (sbatch == null) {
                sbatch = ArrayScript.Options.DEFAULTS;
            }
            for (Duration d : new Duration[] {poll, resultGrace, completedGrace}) {
                if (d == null || d.isNegative()) {
                    throw new IllegalArgumentException("durations: " + d + "; expected zero or more seconds");
                }
            }
            if (poll.isZero()) {
                throw new IllegalArgumentException("poll: 0 s; expected a positive number of seconds");
            }
        }

        /** With the default poll interval and grace periods. */
        public static Options of(ArrayScript.Options sbatch, boolean retryFailed, boolean await, boolean progress,
                                 Duration poll) {
            return new Options(sbatch, retryFailed, await, progress, poll == null ? DEFAULT_POLL : poll,
                    DEFAULT_RESULT_GRACE, DEFAULT_COMPLETED_GRACE);
        }
    }

    /**
     * What a submission holds, before or after it is made.
     *
     * @param number its counter in the folder
     * @param script the batch script's file
     * @param index  the index's file
     * @param runs   the runs, in array order
     * @param tasks  their tasks (run id and command), in array order
     * @param sbatch what sbatch is asked for
     */
    record Plan(int number, Path script, Path index, List<PlannedRun> runs, List<ArrayScript.Task> tasks,
                ArrayScript.Options sbatch) {

        String indexText() {
            return ArrayScript.index(tasks);
        }

        String scriptText(String jobName, Path logs) {
            return ArrayScript.render(jobName, tasks.size(), index, logs, sbatch);
        }
    }

    private final SuiteFolder folder;
    private final Slurm slurm;
    private final Options options;
    private final PrintWriter out;
    private final Path dir;
    private volatile boolean finished;

    /**
     * @param slurm the cluster's commands (with the environment they need, e.g. {@code SLURM_CONF})
     */
    public SlurmLauncher(SuiteFolder folder, Slurm slurm, Options options, PrintWriter out) {
        this.folder = folder;
        this.slurm = slurm;
        this.options = options;
        this.out = out;
        this.dir = folder.dir().toAbsolutePath().normalize();
    }

    private Path slurmDir() {
        return dir.resolve(SLURM_DIR);
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    private String jobName() {
        return "cllm-lab-" + folder.suite().name();
    }

    /**
     * Prints what {@link #run()} would submit now: the batch script and the index (array index, run id,
     * command). Reads the folder's results, writes nothing and asks Slurm nothing (runs still queued in an
     * earlier submission are listed too: only a submission asks Slurm which they are).
     */
    public void dryRun() {
        List<PlannedRun> todo = folder.todo(options.retryFailed());
        if (todo.isEmpty()) {
            out.println("nothing to submit: every run has a result" + (options.retryFailed() ? "" : " (failed"
                    + " ones are submitted again with --retry-failed)"));
            out.flush();
            return;
        }
        Plan plan = plan(todo, nextNumber(), ProvenanceProbe.commit());
        out.printf("would submit %d runs as one job array; nothing is submitted (--dry-run)%n", todo.size());
        cpuNote(plan.sbatch());
        out.println();
        out.println("batch script (" + plan.script() + "):");
        out.print(plan.scriptText(jobName(), logs()));
        out.println();
        out.println("index (" + plan.index() + "): array index, run id, command");
        out.print(plan.indexText());
        out.flush();
    }

    /**
     * Submits the runs to do and, with {@link Options#await()}, waits for every task, then writes the
     * reports.
     *
     * @return the suite's outcome: counts over all of its runs (without waiting: as the folder stands)
     * @throws UserError      when sbatch refuses the job array (nothing is submitted)
     * @throws SlurmException when Slurm stops answering while the launcher waits (the jobs go on)
     */
    public SuiteRunner.Outcome run() throws IOException {
        Specs.Suite suite = folder.suite();
        folder.prepare();
        Files.createDirectories(slurmDir());
        long start = System.nanoTime();
        SlurmWatch watch = new SlurmWatch(folder, slurm, options.resultGrace(), options.completedGrace());
        adoptEarlierSubmissions(watch);
        Set<PlannedRun> inFlight = new LinkedHashSet<>(watch.unfinishedRuns());
        List<PlannedRun> todo = new ArrayList<>(folder.todo(options.retryFailed()));
        todo.removeAll(inFlight);
        int total = suite.runs().size();
        int before = total - todo.size() - inFlight.size();
        out.printf(Locale.ROOT, "suite %s: %d runs, %d to submit%s%s; results in %s%n", suite.name(), total,
                todo.size(), inFlight.isEmpty() ? "" : ", " + inFlight.size() + " still queued or running in job "
                        + String.join(", ", watch.jobs()), before > 0 ? " (" + before + " finished before, kept)" : "",
                dir);
        String submitted = null;
        if (!todo.isEmpty()) {
            Plan plan = plan(todo, 0, ProvenanceProbe.commit());
            cpuNote(plan.sbatch());
            Submission s = submit(plan);
            submitted = s.jobId();
            out.printf(Locale.ROOT, "submitted job %s: %d task%s (array 0-%d%s), script %s, index %s%n", s.jobId(),
                    todo.size(), todo.size() == 1 ? "" : "s", todo.size() - 1, plan.sbatch().throttle() == null ? ""
                            : ", at most " + plan.sbatch().throttle() + " at once", dir.relativize(s.plan().script()),
                    dir.relativize(s.plan().index()));
            for (int i = 0; i < s.plan().runs().size(); i++) {
                watch.add(new SlurmWatch.Task(s.plan().runs().get(i), s.jobId(), i, s.plan().tasks().get(i).command()));
            }
        }
        out.flush();
        if (!options.await()) {
            if (!watch.jobs().isEmpty()) {
                noWaitHints(submitted, watch.jobs());
            } else {
                out.println("nothing to submit: every run has a result");
            }
            out.flush();
            return folder.outcome(0, total - watch.unfinishedRuns().size());
        }
        List<PlannedRun> watched = watch.unfinishedRuns();
        SuiteProgress progress = new SuiteProgress(watched, cores(), options.progress()
                && Terminal.stderrIsTerminal(), out);
        Thread hook = new Thread(() -> interrupted(progress, watch), "slurm-launcher-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (progress) {
            for (SlurmWatch.Task t : watch.tasks) {
                if (!t.done && t.started != null) {
                    progress.starting(t.run); // seen running before the wait began
                }
            }
            watch.listener = new SlurmWatch.Listener() {
                @Override
                public void started(SlurmWatch.Task t) {
                    progress.starting(t.run);
                }

                @Override
                public void finished(SlurmWatch.Task t, RunResult result, double seconds) {
                    progress.finished(t.run, result, seconds);
                }
            };
            await(watch, progress);
        } finally {
            finished = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        SuiteRunner.Outcome o = folder.outcome(watched.size(), total - watched.size());
        folder.report(out);
        out.printf("the suite took %s (wall, on the cluster)%n",
                SuiteProgress.format(Duration.ofNanos(System.nanoTime() - start)));
        out.flush();
        return o;
    }

    /** How many CPUs a task has, for the progress bar's expectations: what sbatch is asked for, else this machine's. */
    private int cores() {
        Integer c = options.sbatch().cpusPerTask();
        return c != null ? c : Runtime.getRuntime().availableProcessors();
    }

    private void cpuNote(ArrayScript.Options sbatch) {
        if (sbatch.cpusPerTask() == null) {
            out.println("note: each task gets the cluster's default CPUs (often 1); ask for more with --cpus-per-task"
                    + " or \"slurm\": {\"cpusPerTask\": N}");
        }
    }

    private void noWaitHints(String submitted, List<String> jobs) {
        String ids = String.join(",", jobs);
        out.printf("%s; results land in %s as the tasks finish.%n", submitted != null ? "job " + submitted
                + " is submitted" : "nothing new to submit", dir);
        out.printf("  watch:  squeue -j %s%n", ids);
        out.printf("  cancel: scancel %s%n", String.join(" ", jobs));
        out.println("  wait:   the same command without --no-wait (it submits no run twice, and records the"
                + " tasks that failed)");
        out.printf("  report: ./lab report %s%n", ArrayScript.shellWord(dir.toString()));
    }

    /** Waits until every watched task has a result or a recorded failure. */
    private void await(SlurmWatch watch, SuiteProgress progress) throws IOException {
        long lastAnswer = System.nanoTime();
        long lastComplaint = 0;
        String lastStatus = "";
        long lastStatusAt = 0;
        boolean bar = options.progress() && Terminal.stderrIsTerminal();
        while (!watch.done()) {
            try {
                watch.poll();
                lastAnswer = System.nanoTime();
            } catch (SlurmException e) {
                long now = System.nanoTime();
                if (now - lastAnswer > OUTAGE.toNanos()) {
                    throw new SlurmException("Slurm has not answered for " + OUTAGE.toMinutes() + " min: "
                            + e.getMessage() + "; the jobs (" + String.join(", ", watch.jobs()) + ") go on: run the"
                            + " same command to wait for them again, or ./lab report " + dir, e);
                }
                if (now - lastComplaint > Duration.ofMinutes(1).toNanos()) {
                    out.println("Slurm did not answer (" + e.getMessage() + "); trying again");
                    out.flush();
                    lastComplaint = now;
                }
            }
            if (watch.done()) {
                break;
            }
            String status = watch.status();
            progress.status(status);
            long now = System.nanoTime();
            if (!bar && !status.equals(lastStatus) && (lastStatusAt == 0 || now - lastStatusAt > 30e9)) {
                out.println(status);
                out.flush();
                lastStatus = status;
                lastStatusAt = now;
            }
            try {
                Thread.sleep(options.poll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for job " + String.join(", ", watch.jobs()), e);
            }
        }
    }

    /** On Ctrl-C (or any shutdown while waiting): the jobs go on; say how to cancel them, or wait again. */
    private void interrupted(SuiteProgress progress, SlurmWatch watch) {
        if (finished) {
            return;
        }
        progress.close();
        List<String> jobs = watch.jobs();
        System.err.println();
        System.err.printf("interrupted: %d of %d runs finished and kept in %s; the cluster goes on with %d task(s)"
                        + " of job %s%n", folder.finished(), folder.suite().runs().size(), dir,
                watch.unfinishedRuns().size(), String.join(", ", jobs));
        System.err.printf("  cancel them: scancel %s%n", String.join(" ", jobs));
        System.err.println("  or wait again: the same command (it submits no run twice), then ./lab report " + dir);
        System.err.flush();
    }

    /** The next submission's number: one past the highest index file in the folder. */
    int nextNumber() {
        int max = 0;
        try (var files = Files.list(slurmDir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = INDEX_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // no folder yet: the first submission
        }
        return max + 1;
    }

    /**
     * The submission of {@code runs} as number {@code number} (0: the next free one, claimed when submitted):
     * their tasks, with the commands the nodes run, and what sbatch is asked for.
     */
    Plan plan(List<PlannedRun> runs, int number, String commit) {
        ArrayScript.Options sbatch = withCpus(options.sbatch(), runs);
        List<ArrayScript.Task> tasks = new ArrayList<>();
        for (PlannedRun r : runs) {
            tasks.add(new ArrayScript.Task(r.runId(), Forks.taskCommand(r.spec(), commit, folder.requestFile(r)
                    .toAbsolutePath(), folder.resultFile(r).toAbsolutePath())));
        }
        int n = number > 0 ? number : nextNumber();
        return new Plan(n, slurmDir().resolve("submission-" + n + ".sh"),
                slurmDir().resolve("submission-" + n + ".index.tsv"), List.copyOf(runs), List.copyOf(tasks), sbatch);
    }

    /**
     * {@code sbatch} with at least as many CPUs per task as any of {@code runs} is pinned to (a spec's
     * {@code cpus}); that many when it asks for none.
     */
    static ArrayScript.Options withCpus(ArrayScript.Options sbatch, List<PlannedRun> runs) {
        PlannedRun widest = null;
        for (PlannedRun r : runs) {
            if (r.spec().cpus() > 0 && (widest == null || r.spec().cpus() > widest.spec().cpus())) {
                widest = r;
            }
        }
        if (widest == null) {
            return sbatch;
        }
        int cpus = widest.spec().cpus();
        if (sbatch.cpusPerTask() == null) {
            return new ArrayScript.Options(sbatch.partition(), sbatch.timeLimit(), cpus, sbatch.memory(),
                    sbatch.throttle(), sbatch.extraArgs());
        }
        if (sbatch.cpusPerTask() < cpus) {
            throw new UserError("cpus per task (--cpus-per-task, or \"slurm\": {\"cpusPerTask\"}): "
                    + sbatch.cpusPerTask() + "; run " + widest.runId() + " is to use " + cpus + " CPUs (its \"cpus\"),"
                    + " so expected at least " + cpus + ", or leave it out");
        }
        return sbatch;
    }

    /** A submission made: its plan, with its number claimed, and the job id Slurm gave it. */
    record Submission(Plan plan, String jobId) {
    }

    /**
     * Writes the runs' requests, the index and the batch script, and submits the script. A failed result of
     * a run submitted again is removed first (so that the result that lands is the new attempt's) and put
     * back if sbatch refuses the job, as are the files written for it.
     */
    private Submission submit(Plan draft) throws IOException {
        Path index;
        int n = draft.number();
        while (true) {
            index = slurmDir().resolve("submission-" + n + ".index.tsv");
            try {
                Files.createFile(index);
                break;
            } catch (FileAlreadyExistsException e) {
                n++; // another launcher on this folder took it
            }
        }
        Plan plan = new Plan(n, slurmDir().resolve("submission-" + n + ".sh"), index, draft.runs(), draft.tasks(),
                draft.sbatch());
        for (PlannedRun r : plan.runs()) {
            folder.writeRequest(r);
        }
        Files.writeString(plan.index(), plan.indexText(), StandardCharsets.UTF_8);
        Files.writeString(plan.script(), plan.scriptText(jobName(), logs()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(plan.script(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<Path, byte[]> previous = new LinkedHashMap<>();
        for (PlannedRun r : plan.runs()) {
            Path result = folder.resultFile(r);
            if (Files.isRegularFile(result)) {
                previous.put(result, Files.readAllBytes(result));
                Files.delete(result);
            }
        }
        String jobId;
        try {
            jobId = slurm.sbatch(plan.script(), List.of());
        } catch (SlurmException e) {
            for (Map.Entry<Path, byte[]> p : previous.entrySet()) {
                Results.writeAtomically(p.getKey(), p.getValue());
            }
            Files.deleteIfExists(plan.script());
            Files.deleteIfExists(plan.index());
            throw new UserError("the job array was not submitted: " + e.getMessage(), e);
        }
        String line = n + "\t" + jobId + "\t" + plan.runs().size() + "\t" + Instant.now() + "\n";
        Path submissions = slurmDir().resolve(SUBMISSIONS);
        if (!Files.exists(submissions)) {
            Files.writeString(submissions, "# submission\tjob id\ttasks\tsubmitted at\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Files.writeString(submissions, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return new Submission(plan, jobId);
    }

    /** An earlier submission's task: the job, the array index, the run id. */
    record Earlier(int number, String jobId, int index, String runId) {
    }

    /** The latest submission of each run id, from {@code submissions.tsv} and the indexes it names. */
    Map<String, Earlier> earlierSubmissions() throws IOException {
        Path submissions = slurmDir().resolve(SUBMISSIONS);
        Map<String, Earlier> latest = new LinkedHashMap<>();
        if (!Files.isRegularFile(submissions)) {
            return latest;
        }
        for (String line : Files.readAllLines(submissions, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (line.startsWith("#") || f.length < 2 || !f[0].matches("\\d+") || !f[1].matches("\\d+")) {
                continue;
            }
            Path index = slurmDir().resolve("submission-" + f[0] + ".index.tsv");
            if (!Files.isRegularFile(index)) {
                continue;
            }
            for (String task : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                String[] t = task.split("\t", 3);
                if (t.length == 3 && t[0].matches("\\d+")) {
                    latest.put(t[1], new Earlier(Integer.parseInt(f[0]), f[1], Integer.parseInt(t[0]), t[1]));
                }
            }
        }
        return latest;
    }

    /**
     * Watches the runs without a result whose latest submission is still queued or running, and records
     * those whose task ended without one (after the grace period), so that no run goes twice and no end
     * goes unrecorded.
     */
    private void adoptEarlierSubmissions(SlurmWatch watch) throws IOException {
        Map<String, Earlier> earlier = earlierSubmissions();
        if (earlier.isEmpty()) {
            return;
        }
        String commit = ProvenanceProbe.commit();
        for (PlannedRun r : folder.suite().runs()) {
            Earlier e = earlier.get(r.runId());
            if (e != null && folder.existing(r) == null) {
                watch.add(new SlurmWatch.Task(r, e.jobId(), e.index(), Forks.taskCommand(r.spec(), commit,
                        folder.requestFile(r).toAbsolutePath(), folder.resultFile(r).toAbsolutePath())));
            }
        }
        if (watch.tasks.isEmpty()) {
            return;
        }
        watch.listener = new SlurmWatch.Listener() {
            @Override
            public void started(SlurmWatch.Task t) {
            }

            @Override
            public void finished(SlurmWatch.Task t, RunResult result, double seconds) {
                if (!result.ok()) {
                    out.println("recorded " + t.run.runId() + " (task " + t.id() + " of an earlier submission) as"
                            + " failed: " + result.failure());
                }
            }
        };
        try {
            watch.poll();
        } catch (SlurmException e) {
            throw new UserError("the earlier submissions in " + slurmDir() + " could not be looked up: "
                    + e.getMessage(), e);
        }
        while (watch.settling()) {
            try {
                Thread.sleep(Math.min(1000, Math.max(1, options.resultGrace().toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            watch.poll();
        }
    }
}
