package org.cllmlab.experiments.slurm;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's commands, run as processes: submit a batch script, watch its tasks, read how they ended, cancel
 * them. Every failure is a {@link SlurmException} of one line: the command, what it printed, what was
 * expected.
 *
 * <p>The commands are found on {@code PATH} (the one in the given environment, else this process's) and
 * run with this process's environment plus the given one, e.g. {@code SLURM_CONF} for a cluster other
 * than the configured one.
 */
public final class Slurm {

    /** The commands this client needs; {@code sacct} is used when present and optional. */
    public static final List<String> COMMANDS = List.of("sbatch", "squeue", "scontrol", "scancel");

    /** How long one command may take by default (a controller that does not answer makes them hang). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_PRINTED = 400;

    private final Map<String, String> environment;
    private final Duration timeout;

    /** The cluster this machine is configured for. */
    public Slurm() {
        this(Map.of());
    }

    /** @param environment added to this process's environment for every command */
    public Slurm(Map<String, String> environment) {
        this(environment, DEFAULT_TIMEOUT);
    }

    /**
     * @param environment added to this process's environment for every command
     * @param timeout     how long one command may take before it is killed and reported
     */
    public Slurm(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + "; expected a positive duration");
        }
    }

    /**
     * What is missing to use Slurm from this process, in one line (e.g. {@code "sbatch is not on PATH"}), or
     * empty when the commands are all there. Looks only for the commands; it does not reach the controller.
     */
    public static Optional<String> detect() {
        return detect(Map.of());
    }

    /** As {@link #detect()}, with {@code PATH} taken from {@code environment} when it has one. */
    public static Optional<String> detect(Map<String, String> environment) {
        String path = path(environment);
        List<String> missing = COMMANDS.stream().filter(c -> find(c, path).isEmpty()).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String names = missing.size() == 1 ? missing.get(0) + " is"
                : String.join(", ", missing.subList(0, missing.size() - 1)) + " and " + missing.get(missing.size() - 1)
                + " are";
        return Optional.of(names + " not on PATH (Slurm's commands " + String.join(", ", COMMANDS)
                + " are needed)");
    }

    /**
     * Submits {@code script}: {@code sbatch --parsable EXTRA... SCRIPT}. Options on the command line take
     * precedence over the script's {@code #SBATCH} lines.
     *
     * @return the job id (for a job array, the array's id)
     */
    public String sbatch(Path script, List<String> extraArgs) throws SlurmException {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(extraArgs);
        cmd.add(script.toString());
        Output out = run(cmd);
        if (out.exit() != 0) {
            throw failure(cmd, out, "a job id");
        }
        try {
            return SlurmText.parsableJobId(out.stdout());
        } catch (IllegalArgumentException e) {
            throw failure(cmd, out, "a job id");
        }
    }

    /**
     * The tasks of job {@code jobId} that Slurm still has queued or running ({@code squeue -h -r -j ID}), one
     * per task; pending ranges are expanded. Empty when none remains: all ended, or Slurm has forgotten the
     * job. How they ended: {@link #ends(String)}.
     */
    public List<TaskState> squeue(String jobId) throws SlurmException {
        checkJobId(jobId);
        List<String> cmd = List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%i %T %r");
        Output out = run(cmd);
        if (out.exit() != 0) {
            if (forgotten(out)) {
                return List.of();
            }
            throw failure(cmd, out, "one line per task: ID STATE REASON");
        }
        try {
            return SlurmText.squeue(out.stdout());
        } catch (IllegalArgumentException e) {
            throw failure(cmd, out, "one line per task: ID STATE REASON (" + e.getMessage() + ")");
        }
    }

    /**
     * How the tasks of job {@code jobId} ended, as far as Slurm knows: from {@code sacct} when accounting
     * works, else from {@code scontrol show job} while the controller remembers the job ({@code MinJobAge},
     * 300 s by default, after a task ends). Tasks still pending or running are listed with their current
     * state; tasks Slurm has forgotten are left out (see {@link #ends(String, Collection)}).
     */
    public List<TaskEnd> ends(String jobId) throws SlurmException {
        return known(jobId).ends();
    }

    /**
     * As {@link #ends(String)}, one entry per task in {@code tasks}, in that order: a task Slurm does not know
     * is {@link TaskEnd#UNKNOWN}, with why.
     */
    public List<TaskEnd> ends(String jobId, Collection<Integer> tasks) throws SlurmException {
        Known known = known(jobId);
        Map<Integer, TaskEnd> byTask = new LinkedHashMap<>();
        for (TaskEnd e : known.ends()) {
            if (e.task() != null) {
                byTask.put(e.task(), e);
            }
        }
        List<TaskEnd> ends = new ArrayList<>();
        for (Integer task : tasks) {
            TaskEnd e = byTask.get(task);
            ends.add(e != null ? e : TaskEnd.unknown(jobId, task, "Slurm no longer knows task " + jobId + "_"
                    + task + " (" + known.why() + ")"));
        }
        return ends;
    }

    /** Cancels job {@code jobId}, every task of an array: {@code scancel ID}. A job that has ended is no error. */
    public void scancel(String jobId) throws SlurmException {
        checkJobId(jobId);
        cancel(List.of("scancel", jobId));
    }

    /** Cancels one task of job array {@code jobId}: {@code scancel ID_TASK}. A task that has ended is no error. */
    public void scancel(String jobId, int task) throws SlurmException {
        checkJobId(jobId);
        if (task < 0) {
            throw new IllegalArgumentException("task: " + task + "; expected an array index >= 0");
        }
        cancel(List.of("scancel", jobId + "_" + task));
    }

    private void cancel(List<String> cmd) throws SlurmException {
        Output out = run(cmd);
        if (out.exit() != 0 && !forgotten(out) && !out.printed().contains("already completing or completed")) {
            throw failure(cmd, out, "exit status 0");
        }
    }

    /** What Slurm knows of a job's tasks, and, for the tasks it does not know, why. */
    private record Known(List<TaskEnd> ends, String why) {
    }

    private Known known(String jobId) throws SlurmException {
        checkJobId(jobId);
        String sacctSaid;
        if (find("sacct", path(environment)).isPresent()) {
            List<String> cmd = List.of("sacct", "-X", "-n", "-P", "-j", jobId, "--format=JobID,State,ExitCode,Reason");
            Output out = run(cmd);
            List<TaskEnd> ends = List.of();
            if (out.exit() == 0) {
                try {
                    ends = SlurmText.sacct(out.stdout());
                } catch (IllegalArgumentException e) {
                    throw failure(cmd, out, "lines JobID|State|ExitCode|Reason (" + e.getMessage() + ")");
                }
            }
            if (!ends.isEmpty()) {
                return new Known(ends, "sacct does not list it");
            }
            sacctSaid = out.exit() == 0 ? "sacct does not list it" : "sacct: " + SlurmText.oneLine(out.printed(), 120);
        } else {
            sacctSaid = "sacct is not on PATH";
        }
        List<String> cmd = List.of("scontrol", "-o", "show", "job", jobId);
        Output out = run(cmd);
        String why = sacctSaid + "; the controller forgets a job MinJobAge after it ends";
        if (out.exit() != 0) {
            if (forgotten(out)) {
                return new Known(List.of(), why);
            }
            throw failure(cmd, out, "one line of Key=value per task");
        }
        try {
            return new Known(SlurmText.scontrol(out.stdout()), why);
        } catch (IllegalArgumentException e) {
            throw failure(cmd, out, "one line of Key=value per task (" + e.getMessage() + ")");
        }
    }

    /** Slurm's answer for a job id it does not know (never had, or has forgotten). */
    private static boolean forgotten(Output out) {
        return out.printed().contains("Invalid job id specified");
    }

    private static void checkJobId(String jobId) {
        if (jobId == null || !jobId.matches("\\d+")) {
            throw new IllegalArgumentException("job id: " + jobId + "; expected the number sbatch printed");
        }
    }

    /** What a command did: its exit status and what it printed on each stream. */
    record Output(int exit, String stdout, String stderr) {
        /** stderr, then stdout, for messages. */
        String printed() {
            return (stderr.strip() + "\n" + stdout.strip()).strip();
        }
    }

    /** Runs {@code cmd} (its first element found on PATH) to its end or the timeout. */
    Output run(List<String> cmd) throws SlurmException {
        String path = path(environment);
        Optional<Path> exe = find(cmd.get(0), path);
        if (exe.isEmpty()) {
            throw new SlurmException(cmd.get(0) + " is not on PATH (" + path + ")");
        }
        List<String> argv = new ArrayList<>(cmd);
        argv.set(0, exe.get().toString());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SlurmException(String.join(" ", cmd) + ": could not start: " + e.getMessage(), e);
        }
        // One thread per stream, so that neither pipe can fill up while the other is read.
        Executor readers = r -> Thread.ofVirtual().name(cmd.get(0) + "-output").start(r);
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), readers);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), readers);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new SlurmException(String.join(" ", cmd) + ": no answer within " + seconds(timeout)
                        + " s; expected the controller to answer (is slurmctld up?)");
            }
            return new Output(p.exitValue(), stdout.get(5, TimeUnit.SECONDS), stderr.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException(String.join(" ", cmd) + ": interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SlurmException(String.join(" ", cmd) + ": its output could not be read: " + e.getMessage(), e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds())
                : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SlurmException failure(List<String> cmd, Output out, String expected) {
        String printed = out.printed().isEmpty() ? "printed nothing"
                : "printed \"" + SlurmText.oneLine(out.printed(), MAX_PRINTED) + "\"";
        return new SlurmException(String.join(" ", cmd) + ": exit status " + out.exit() + ", " + printed
                + "; expected " + expected);
    }

    private static String path(Map<String, String> environment) {
        String p = environment.get("PATH");
        if (p == null) {
            p = System.getenv("PATH");
        }
        return p == null ? "" : p;
    }

    /** {@code name} in one of {@code path}'s folders, executable. */
    static Optional<Path> find(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
