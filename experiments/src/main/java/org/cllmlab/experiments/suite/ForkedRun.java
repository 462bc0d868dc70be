package org.cllmlab.experiments.suite;

import java.nio.file.Path;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.results.Provenance;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunConfig;
import org.cllmlab.core.results.RunResult;
import org.cllmlab.experiments.run.MeasuredRun;
import org.cllmlab.experiments.run.ProvenanceProbe;

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
     * @param spec       the resolved run spec
     */
    public record Request(String runId, String suite, int repetition, RunSpec spec) {
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
                    null, null, null));
            System.exit(1);
            return;
        }
        RunSpec spec = request.spec();
        try {
            RunResult r = MeasuredRun.execute(spec.toRunOptions(), request.runId(), request.suite(), spec.label(),
                    request.repetition(), spec.jvmOptions(), null);
            Results.write(resultFile, r);
            System.out.println("result: " + resultFile);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            String reason = reason(t);
            writeFailure(resultFile, failed(request, reason, probe(spec)));
            System.exit(1);
        }
    }

    /** A failed result for {@code request}: its config as asked (vocabulary 0: unknown), no measurements. */
    static RunResult failed(Request request, String reason, Provenance provenance) {
        return new RunResult(RunResult.SCHEMA, request.runId(), request.suite(), RunResult.FAILED, reason,
                config(request.spec(), request.repetition()), provenance, null, null, null);
    }

    static RunConfig config(RunSpec s, int repetition) {
        ModelConfig m;
        try {
            m = s.shape();
        } catch (RuntimeException e) {
            m = null;
        }
        return new RunConfig(s.label(), s.preset(), m == null ? 0 : m.dModel(), m == null ? 0 : m.layers(),
                m == null ? 0 : m.heads(), m == null ? 0 : m.dFf(), m == null ? 0 : m.seq(), m == null ? 0 : m.batch(),
                0, s.corpus() == null ? "embedded generator, seed " + s.seed() : "file " + s.corpus(),
                s.corpus() == null ? s.datasetBytes() : 0,
                s.tokenizer(), s.strategy(), s.threads(), s.hierarchy(), s.caches(), s.workers(), s.batchMode(),
                s.steps(), s.warmup(), repetition, s.seed(), s.jvmOptions());
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
