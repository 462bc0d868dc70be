package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.run.RunSpecJson;
import org.cllmlab.experiments.cli.UserError;
import org.cllmlab.experiments.run.ProvenanceProbe;
import org.cllmlab.reports.ConsoleSummary;
import org.cllmlab.reports.ReportException;
import org.cllmlab.reports.ReportGenerator;

/**
 * A suite's folder, whichever way its runs are launched (one forked JVM after another here, or a job array
 * on a cluster):
 * <pre>
 * DIR/suite.json            the suite as written and every resolved run spec
 * DIR/&lt;runId&gt;.json          one result per run (ok or failed, with the reason), written atomically
 * DIR/requests/&lt;runId&gt;.json what each run was asked to do (the forked JVM reads it)
 * DIR/logs/&lt;runId&gt;.log      the run's stdout and stderr
 * </pre>
 * A run whose result file exists is finished; a finished run is never overwritten unless it failed and
 * failed runs are to be retried.
 */
public final class SuiteFolder {

    public static final String SUITE_FILE = "suite.json";

    private final Specs.Suite suite;
    private final Path dir;
    private final List<Path> plugins;

    /**
     * @param plugins the plug-in jars every run gets (the ones the suite was loaded with)
     */
    public SuiteFolder(Specs.Suite suite, Path dir, List<Path> plugins) {
        this.suite = suite;
        this.dir = dir;
        this.plugins = List.copyOf(plugins);
    }

    public Specs.Suite suite() {
        return suite;
    }

    public Path dir() {
        return dir;
    }

    public List<Path> plugins() {
        return plugins;
    }

    public Path resultFile(PlannedRun run) {
        return dir.resolve(run.runId() + ".json");
    }

    public Path requestFile(PlannedRun run) {
        return dir.resolve("requests").resolve(run.runId() + ".json");
    }

    public Path logFile(PlannedRun run) {
        return dir.resolve("logs").resolve(run.runId() + ".log");
    }

    /**
     * Makes the folder's layout, refuses results of a different spec under the same run id, and writes the
     * resolved suite.
     */
    public void prepare() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("requests"));
        checkSameSpecs();
        Results.writeAtomically(dir.resolve(SUITE_FILE), Specs.mapper().writeValueAsBytes(suite.resolved()));
    }

    /** The runs without a result, and with {@code retryFailed} also those whose result says failed, in order. */
    public List<PlannedRun> todo(boolean retryFailed) {
        List<PlannedRun> todo = new ArrayList<>();
        for (PlannedRun r : suite.runs()) {
            RunResult done = existing(r);
            if (done == null || retryFailed && !done.ok()) {
                todo.add(r);
            }
        }
        return todo;
    }

    /** Writes what {@code run}'s forked JVM reads, and returns that file. */
    public Path writeRequest(PlannedRun run) throws IOException {
        Path request = requestFile(run);
        Results.writeAtomically(request, Specs.mapper().writeValueAsBytes(ForkedRun.Request.of(run, plugins)));
        return request;
    }

    /** The result recorded for {@code run}, or null when there is none (or it is unreadable). */
    public RunResult existing(PlannedRun run) {
        return readOrNull(resultFile(run));
    }

    /** How many runs of the suite have a result. */
    public int finished() {
        int n = 0;
        for (PlannedRun r : suite.runs()) {
            if (Files.isRegularFile(resultFile(r))) {
                n++;
            }
        }
        return n;
    }

    /** Records {@code run} as failed with {@code reason}, unless a result has landed meanwhile; returns what is recorded. */
    public RunResult recordFailure(PlannedRun run, String reason, List<String> command) throws IOException {
        return recordFailure(run, reason, command, null);
    }

    /**
     * As {@link #recordFailure(PlannedRun, String, List)}, for a run that was a task of Slurm job {@code job}
     * (null: not on Slurm): the record is this process's, on this machine, and names the task it was about.
     */
    public RunResult recordFailure(PlannedRun run, String reason, List<String> command, Provenance.SlurmJob job)
            throws IOException {
        RunResult landed = existing(run);
        if (landed != null) {
            return landed;
        }
        Provenance p = provenance(run, command);
        if (job != null) {
            p = p.withSlurm(job);
        }
        RunResult failed = ForkedRun.failed(run.runId(), run.suite(), run.spec(), run.repetition(), reason, p);
        Results.write(resultFile(run), failed);
        return failed;
    }

    /** Counts over every run of the suite, those finished before included. */
    public SuiteRunner.Outcome outcome(int ran, int skipped) {
        int ok = 0;
        int failed = 0;
        for (PlannedRun r : suite.runs()) {
            RunResult done = existing(r);
            if (done != null && done.ok()) {
                ok++;
            } else {
                failed++;
            }
        }
        return new SuiteRunner.Outcome(suite.runs().size(), ran, skipped, ok, failed);
    }

    /**
     * Prints the summary of every result in the folder, then writes the reports next to the results. A
     * report that cannot be written is said, and loses no result.
     */
    public void report(PrintWriter out) {
        out.println();
        out.println("summary (" + dir + "):");
        try {
            ConsoleSummary.print(ReportGenerator.model(dir), out);
            ReportGenerator.Outcome o = ReportGenerator.write(dir, dir);
            for (Path written : o.written()) {
                out.println("wrote " + written);
            }
            for (var u : o.unreadable()) {
                out.println("unreadable, left out of the report: " + u.message());
            }
        } catch (ReportException e) {
            out.println("the report could not be written: " + e.getMessage());
        }
        out.flush();
    }

    /** Refuses to mix results of different specs under one run id. */
    private void checkSameSpecs() throws IOException {
        for (PlannedRun r : suite.runs()) {
            Path request = requestFile(r);
            if (!Files.exists(request) || !Files.exists(resultFile(r))) {
                continue;
            }
            RunSpec before;
            try {
                JsonNode node = Specs.mapper().readTree(request.toFile()).get("spec");
                before = node instanceof ObjectNode o ? RunSpecJson.fromJson(o) : null;
            } catch (IOException | RuntimeException e) {
                continue; // unreadable or from an older format: the run is redone
            }
            if (before != null && !before.equals(r.spec())) {
                throw new UserError("out: " + dir + " holds a result of run " + r.runId() + " made with a different spec"
                        + " (see " + request + "); expected the same suite and flags to resume, or use --fresh or"
                        + " another --out");
            }
        }
    }

    private static RunResult readOrNull(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Results.read(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Provenance provenance(PlannedRun run, List<String> cmd) {
        Provenance here = ProvenanceProbe.probe(run.spec().seed(), run.spec().kernels());
        if (cmd == null) {
            return here;
        }
        int java = cmd.indexOf(Forks.javaExecutable());
        int cp = cmd.indexOf("-cp");
        return here.withJvmFlags(cmd.subList(java + 1, cp < 0 ? cmd.size() : cp));
    }
}
