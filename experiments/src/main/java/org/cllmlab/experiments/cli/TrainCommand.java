package org.cllmlab.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cllmlab.core.kernel.FmaPeak;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.StepBreakdown;
import org.cllmlab.core.results.Training;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.train.TrainingJob;
import org.cllmlab.experiments.run.RunAssembly;
import org.cllmlab.experiments.run.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab train}: one training run in this JVM, with progress in place and a summary. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train the model once in this JVM and print a summary.",
        description = "Trains with the given shape, data and strategy, then prints the losses, tokens/s of wall"
                + " time, and where worker time went (lock, barrier, reduction, optimizer).")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    RunOptions run;

    @Mixin
    LabOptions lab;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout instead of text.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not show the progress line.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec = run.toSpec("train");
        MemoryLedger ledger = new MemoryLedger();
        RunAssembly.Assembled a = RunAssembly.assemble(runSpec, lab.registries(), ledger);
        int total = runSpec.schedule().warmup() + runSpec.schedule().steps();
        // The ceiling the utilisation is quoted against, measured here and now: the clock of a shared core moves.
        int cores = Math.min(runSpec.parallelism().workers(), Runtime.getRuntime().availableProcessors());
        FmaPeak.Peak peak = FmaPeak.measure(false);
        TrainingJob.Outcome outcome;
        boolean terminal = Terminal.stderrIsTerminal();
        try (ProgressBar bar = noProgress || !terminal ? null : progress(total)) {
            double[] lastVal = {Double.NaN};
            long[] lastLine = {System.nanoTime()};
            outcome = TrainingJob.run(a.plan(), (step, planned, loss, val, tps) -> {
                if (!Double.isNaN(val)) {
                    lastVal[0] = val;
                }
                String message = String.format(Locale.ROOT, "loss %.3f  val %s  %,.0f tok/s", loss,
                        Double.isNaN(lastVal[0]) ? "-" : String.format(Locale.ROOT, "%.3f", lastVal[0]), tps);
                if (bar != null) {
                    bar.maxHint(planned);
                    bar.stepTo(step);
                    bar.setExtraMessage(message);
                } else if (!noProgress && !json && System.nanoTime() - lastLine[0] >= PLAIN_PROGRESS_NANOS) {
                    // A log file or CI gets a plain line now and then, not a bar redrawn in place.
                    lastLine[0] = System.nanoTime();
                    System.err.printf(Locale.ROOT, "train: step %d of %d, %s%n", step, planned, message);
                }
            }, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        Training t = outcome.training();
        if (json) {
            out.println(summaryJson(a, outcome, peak, cores));
        } else {
            out.println(String.format(Locale.ROOT,
                    "%s preset, %d steps, seed %d, %s x%d (%s, items in groups of up to %d): train loss %.4f ->"
                            + " %.4f, validation loss %.4f -> %.4f, %,.0f tokens/s (wall), %.1f s wall, %.1f s CPU",
                    runSpec.preset().id(), t.steps(), runSpec.seed(), runSpec.parallelism().strategy(),
                    runSpec.parallelism().workers(), runSpec.parallelism().threads(), t.groupItems(),
                    t.initialLoss(), t.finalLoss(), first(t), last(t), t.tokensPerSecond(), t.wallSeconds(),
                    t.cpuSeconds()));
            out.println(contentionLine(outcome.contention()));
            out.println(flopsLine(a, t, peak, cores));
            StepBreakdown b = StepBreakdown.of(t, outcome.contention());
            if (b != null) {
                out.println(breakdownLine(b));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Off a terminal, at most one progress line per this much time. */
    private static final long PLAIN_PROGRESS_NANOS = 10_000_000_000L;

    private static ProgressBar progress(int total) {
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                .setMaxRenderedLength(110).build();
    }

    private static double first(Training t) {
        return t.validationLosses().isEmpty() ? Double.NaN : t.validationLosses().get(0);
    }

    private static double last(Training t) {
        return t.validationLosses().isEmpty() ? Double.NaN : t.validationLosses().get(t.validationLosses().size() - 1);
    }

    static String contentionLine(Contention c) {
        double workerSeconds = c.workerWallNanos() / 1e9;
        return String.format(Locale.ROOT,
                "worker time %.2f s (wall, summed over %d workers): lock wait %.2f s, lock hold %.2f s, barrier wait"
                        + " %.2f s; reduction %.3f s, optimizer %.3f s (wall); blocked %s, waited %s;"
                        + " serialization index %.3f",
                workerSeconds, c.workers(), c.lockWaitNanos() / 1e9, c.lockHoldNanos() / 1e9,
                c.barrierWaitNanos() / 1e9, c.reductionNanos() / 1e9, c.optimizerNanos() / 1e9,
                seconds(c.blockedNanos()), seconds(c.waitedNanos()), c.serializationIndex());
    }

    private static String seconds(Long nanos) {
        return nanos == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String flopsLine(RunAssembly.Assembled a, Training t, FmaPeak.Peak peak, int cores) {
        return String.format(Locale.ROOT, "model FLOPs %,d per token x %,.0f tokens/s = %.1f GFLOP/s; FMA peak %.1f"
                        + " GFLOP/s per core (measured now) x %d core%s: model-FLOP utilisation %.2f",
                t.modelFlopsPerToken(), t.tokensPerSecond(), t.modelFlopsPerSecond() / 1e9,
                peak.singleThreadFlops() / 1e9, cores, cores == 1 ? "" : "s",
                t.mfu(peak.singleThreadFlops(), cores));
    }

    static String breakdownLine(StepBreakdown b) {
        double s = b.stepSeconds();
        return String.format(Locale.ROOT, "per step %.3f s (wall): matrix products %.3f s (%.0f%%), other operations"
                        + " %.3f s (%.0f%%), reduction %.3f s (%.1f%%), optimizer %.3f s (%.1f%%), the rest %.3f s"
                        + " (%.1f%%: batch, barrier, hand-offs); the compute phase is split in the passes' proportions",
                s, b.matrixProducts(), 100 * b.matrixProducts() / s, b.otherOps(), 100 * b.otherOps() / s,
                b.reduction(), 100 * b.reduction() / s, b.optimizer(), 100 * b.optimizer() / s, b.rest(),
                100 * b.rest() / s);
    }

    private String summaryJson(RunAssembly.Assembled a, TrainingJob.Outcome o, FmaPeak.Peak peak, int cores) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        Training t = o.training();
        Contention c = o.contention();
        RunSpec spec = a.spec();
        n.put("preset", spec.preset().id());
        n.put("steps", t.steps());
        n.put("warmup", t.warmupSteps());
        n.put("warmupSettled", t.warmupSettled());
        n.put("seed", spec.seed());
        n.put("corpus", a.corpus().name());
        n.put("datasetBytes", a.corpus().bytes());
        n.put("vocab", a.plan().model().config().vocab());
        n.put("strategy", spec.parallelism().strategy());
        n.put("workers", spec.parallelism().workers());
        n.put("threads", spec.parallelism().threads());
        n.put("batchMode", spec.parallelism().batchMode().id());
        n.put("kernels", spec.kernels());
        n.put("groupItems", t.groupItems());
        n.put("initialTrainLoss", t.initialLoss());
        n.put("finalTrainLoss", t.finalLoss());
        n.put("initialValidationLoss", first(t));
        n.put("finalValidationLoss", last(t));
        n.put("tokensPerSecond", t.tokensPerSecond());
        n.put("wallSeconds", t.wallSeconds());
        n.put("cpuSeconds", t.cpuSeconds());
        n.put("lockWaitSeconds", c.lockWaitNanos() / 1e9);
        n.put("lockHoldSeconds", c.lockHoldNanos() / 1e9);
        n.put("barrierWaitSeconds", c.barrierWaitNanos() / 1e9);
        n.put("reductionSeconds", c.reductionNanos() / 1e9);
        n.put("optimizerSeconds", c.optimizerNanos() / 1e9);
        n.put("serializationIndex", c.serializationIndex());
        n.put("modelFlopsPerToken", t.modelFlopsPerToken());
        n.put("modelFlopsPerSecond", t.modelFlopsPerSecond());
        n.put("peakFlopsPerCore", peak.singleThreadFlops());
        n.put("cores", cores);
        n.put("peakFlops", peak.singleThreadFlops() * cores);
        n.put("mfu", t.mfu(peak.singleThreadFlops(), cores));
        StepBreakdown b = StepBreakdown.of(t, c);
        if (b != null) {
            ObjectNode step = n.putObject("stepSeconds");
            step.put("total", b.stepSeconds());
            b.byName().forEach(step::put);
        }
        ObjectNode ops = n.putObject("opSeconds");
        t.opNanos().forEach((k, v) -> ops.put(k, v / 1e9));
        return n.toString();
    }
}
