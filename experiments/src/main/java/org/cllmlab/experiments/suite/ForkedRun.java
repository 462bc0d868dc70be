package org.cllmlab.experiments.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.run.RunSpecJson;
import org.cllmlab.experiments.run.MeasuredRun;
import org.cllmlab.experiments.run.ProvenanceProbe;
import org.cllmlab.strategies.Plugins;
import org.cllmlab.strategies.Registries;

/**
 * The main class of a forked run: {@code ForkedRun <request.json> <result.json>}. Runs one measured run in
 * this fresh JVM and writes its result atomically; on any failure it writes a {@code failed} result with
 * the reason and exits 1. It stops (without a result) when the runner that started it is gone.
 */
public final class ForkedRun {

    /**
     * What the runner asks of a forked run.
     *
     * @param runId      the result's id
     * @param suite      the suite's name
     * @param repetition 1-based
     * @param spec       the resolved run spec, in its JSON form ({@link RunSpecJson})
     * @param plugins    the plug-in jars the runner was given, absolute paths
     */
    public record Request(String runId, String suite, int repetition, ObjectNode spec, List<String> plugins) {
        public Request {
            plugins = plugins == null ? List.of() : List.copyOf(plugins);
        }

        static Request of(PlannedRun run, List<Path> plugins) {
            return new Request(run.runId(), run.suite(), run.repetition(), RunSpecJson.toJson(run.spec()),
                    plugins.stream().map(Path::toString).toList());
        }

        RunSpec runSpec() {
            return RunSpecJson.fromJson(spec.deepCopy());
        }
    }

    private ForkedRun() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ForkedRun <request.json> <result.json>");
            System.exit(2);
        }
        watchParent();
        Path resultFile = Path.of(args[1]);
        Request request;
        try {
            request = Specs.mapper().readValue(Path.of(args[0]).toFile(), Request.class);
        } catch (Exception e) {
            e.printStackTrace();
            writeFailure(resultFile, new RunResult(RunResult.SCHEMA, resultFile.getFileName().toString()
                    .replaceFirst("\\.json$", ""), null, RunResult.FAILED, "bad request: " + reason(e), null, null,
                    null, null, null, null));
            System.exit(1);
            return;
        }
        RunSpec spec;
        try {
            spec = request.runSpec();
        } catch (RuntimeException e) {
            writeFailure(resultFile, new RunResult(RunResult.SCHEMA, request.runId(), request.suite(), RunResult.FAILED,
                    "bad request: " + reason(e), null, null, null, null, null, null));
            System.exit(1);
            return;
        }
        try {
            Registries registries = Registries.create(Plugins.load(request.plugins().stream().map(Path::of).toList()));
            RunResult r = MeasuredRun.execute(spec, registries, request.runId(), request.suite(),
                    request.repetition(), null);
            Results.write(resultFile, r);
            System.out.println("result: " + resultFile);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            String reason = reason(t);
            writeFailure(resultFile, failed(request.runId(), request.suite(), spec, request.repetition(), reason,
                    probe(spec)));
            System.exit(1);
        }
    }

    /** A failed result for {@code run}: its config as asked (vocabulary 0: unknown), no measurements. */
    static RunResult failed(String runId, String suite, RunSpec spec, int repetition, String reason,
                            Provenance provenance) {
        return new RunResult(RunResult.SCHEMA, runId, suite, RunResult.FAILED, reason,
                RunConfig.of(spec, repetition, null, null, -1), provenance, null, null, null, null);
    }

    private static Provenance probe(RunSpec spec) {
        try {
            return ProvenanceProbe.probe(spec.seed(), spec.kernels());
        } catch (Throwable t) {
            return null;
        }
    }

    /** One line: the exception's class and message, with the root cause when it adds something. */
    static String reason(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t && (t.getMessage() == null || !t.getMessage().contains(String.valueOf(root.getMessage())))) {
            sb.append(" (cause: ").append(root.getClass().getName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage());
            }
            sb.append(')');
        }
        return sb.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static void writeFailure(Path file, RunResult r) {
        try {
            Results.write(file, r);
        } catch (Throwable t) {
            System.err.println("could not write the failed result: " + t);
        }
    }

    /** Halts this JVM when the runner's process is gone, so that an interrupted suite leaves no runs behind. */
    private static void watchParent() {
        String pid = System.getProperty(Forks.PARENT_PID_PROPERTY);
        if (pid == null) {
            return;
        }
        var parent = ProcessHandle.of(Long.parseLong(pid));
        if (parent.isEmpty()) {
            Runtime.getRuntime().halt(3);
        }
        Thread t = new Thread(() -> {
            while (true) {
                if (!parent.get().isAlive()) {
                    System.err.println("the runner (pid " + pid + ") is gone; stopping without a result");
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
