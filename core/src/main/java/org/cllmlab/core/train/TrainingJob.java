package org.cllmlab.core.train;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.cllmlab.core.data.Batch;
import org.cllmlab.core.data.Dataset;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.ModelFlops;
import org.cllmlab.core.model.OpTimes;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.Training;
import org.cllmlab.core.run.RunSpec;

/**
 * One training run: initialise the parameters, warm up, then measure optimizer steps on the
 * {@link ParallelTrainer}, with validation at intervals. Only the measured steps count towards
 * throughput, and only their step wall time (validation is excluded).
 *
 * <p><b>Warm-up.</b> At least {@code warmup} steps. With an adaptive warm-up ({@code warmupMax >
 * warmup}) it goes on until a step in which the JIT compiler worked for less than
 * {@link #SETTLED_JIT_SHARE} of the step's wall time (the JVM's {@link CompilationMXBean}), since the
 * kernels are compiled during the first steps and a step timed before then is not a steady figure; but
 * never past {@code warmupMax} steps. {@link Training#warmupSettled} says which way it ended.
 *
 * <p><b>Measuring.</b> At least {@code steps} steps, and, when {@code measureSeconds > 0}, until that
 * much wall time of measured steps has passed. The learning-rate schedule spans the nominal
 * {@code warmup + steps} steps; steps beyond them keep the schedule's last rate.
 */
public final class TrainingJob {

    /** An adaptive warm-up ends after a step whose JIT compilation took less than this share of its wall time. */
    public static final double SETTLED_JIT_SHARE = 0.02;

    /**
     * Called on the main thread after every step. {@code validationLoss} is NaN when not measured;
     * {@code plannedSteps} is the steps the run expects in all, which grows while an adaptive warm-up or
     * a timed measurement goes on.
     */
    @FunctionalInterface
    public interface Listener {
        void onStep(int step, int plannedSteps, double trainLoss, double validationLoss, double tokensPerSecond);
    }

    /**
     * A run ready to train.
     *
     * @param spec        the run's description (its schedule and seed are read here)
     * @param model       the model, shaped for the data's vocabulary
     * @param data        the dataset
     * @param concurrency the workers and how they share the model
     * @param ledger      where every buffer is registered
     */
    public record Plan(RunSpec spec, Transformer model, Dataset data, Concurrency concurrency, MemoryLedger ledger) {
        public Plan {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(concurrency, "concurrency");
            Objects.requireNonNull(ledger, "ledger");
        }
    }

    /** What a run produced. */
    public record Outcome(Training training, Contention contention, int spheres, long hierarchyBytes,
                          int workerThreads) {
    }

    private TrainingJob() {
    }

    /** Runs the job; {@code afterSteps} (may be null) runs on the main thread after the last step, workers alive. */
    public static Outcome run(Plan plan, Listener listener, Runnable afterSteps) {
        RunSpec spec = plan.spec();
        RunSpec.Schedule schedule = spec.schedule();
        Transformer model = plan.model();
        Dataset data = plan.data();
        MemoryLedger ledger = plan.ledger();
        float[] params = ledger.floats(Category.PARAMETERS, model.layout().size());
        model.initialize(params, spec.seed());
        AdamW optimizer = new AdamW(model.layout(), (float) schedule.learningRate(), AdamW.DEFAULT_BETA1, 0.95f,
                AdamW.DEFAULT_EPS, AdamW.DEFAULT_WEIGHT_DECAY, ledger);
        int itemsPerStep = spec.parallelism().batchMode().itemsPerStep(data.batch(), plan.concurrency().workers());
        Batch batch = data.newBatch(itemsPerStep);
        List<WorkItem> items = new ArrayList<>(itemsPerStep);
        for (int i = 0; i < itemsPerStep; i++) {
            items.add(batch.item(i));
        }
        float scale = 1f / itemsPerStep;
        long tokensPerStep = (long) itemsPerStep * data.seq();
        ActivationCache evalCache = schedule.evalBatches() > 0 ? model.newForwardCache(data.seq(), ledger) : null;
        int nominal = schedule.warmup() + schedule.steps();
        int[] stepIndex = {0};
        ParallelTrainer.Update update = (p, g) -> {
            optimizer.setLearningRate((float) schedule.learningRate(Math.min(stepIndex[0]++, nominal - 1), nominal));
            // Clipping folded into the update: one pass over the gradients fewer, bitwise the same.
            optimizer.step(p, g, schedule.clip() > 0
                    ? AdamW.clipScale(AdamW.globalNorm(g), schedule.clip()) : 1f);
        };

        List<Double> losses = new ArrayList<>();
        List<Double> valLosses = new ArrayList<>();
        List<Integer> valSteps = new ArrayList<>();
        List<Double> stepWall = new ArrayList<>();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimes = jit != null && jit.isCompilationTimeMonitoringSupported();
        long measuredWall = 0;
        long cpuStart = 0;
        int warmupSteps = -1;
        boolean settled = !schedule.adaptiveWarmup();

        int group = ParallelTrainer.groupFor(itemsPerStep, plan.concurrency().workers(), data.batch());
        try (ParallelTrainer trainer = new ParallelTrainer(model, params, plan.concurrency(), ledger, group)) {
            if (evalCache != null) {
                valSteps.add(0);
                valLosses.add(validate(model, params, data, schedule.evalBatches(), evalCache));
            }
            int measured = 0;
            for (int step = 0; ; step++) {
                if (warmupSteps < 0 && step >= schedule.warmup()
                        && (settled || step >= schedule.warmupMax())) {
                    warmupSteps = step;
                    trainer.resetFigures();
                    model.resetProfile();
                    cpuStart = os.getProcessCpuTime();
                }
                boolean measuring = warmupSteps >= 0;
                if (measuring && measured >= schedule.steps()
                        && measuredWall / 1e9 >= schedule.measureSeconds()) {
                    break;
                }
                data.fillTrainBatch(step, batch);
                long jit0 = jitTimes ? jit.getTotalCompilationTime() : 0;
                ParallelTrainer.StepOutcome out = trainer.step(items, scale, update);
                losses.add(out.meanLoss());
                if (!Double.isFinite(out.meanLoss())) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "training diverged: loss %s at step %d; try a lower learning rate (--lr, now %s)",
                            out.meanLoss(), step + 1, schedule.learningRate()));
                }
                if (measuring) {
                    measured++;
                    measuredWall += out.wallNanos();
                    stepWall.add(out.wallNanos() / 1e9);
                } else if (!settled && step + 1 >= schedule.warmup()) {
                    double jitMillis = jitTimes ? jit.getTotalCompilationTime() - jit0 : 0;
                    settled = jitTimes && jitMillis < SETTLED_JIT_SHARE * out.wallNanos() / 1e6;
                }
                int planned = warmupSteps >= 0
                        ? warmupSteps + Math.max(schedule.steps(), plannedMeasured(measured, measuredWall, schedule))
                        : Math.max(step + 2, schedule.warmup()) + schedule.steps();
                boolean last = measuring && measured >= schedule.steps()
                        && measuredWall / 1e9 >= schedule.measureSeconds();
                double val = Double.NaN;
                if (evalCache != null && (last || (schedule.evalEvery() > 0 && (step + 1) % schedule.evalEvery() == 0))) {
                    val = validate(model, params, data, schedule.evalBatches(), evalCache);
                    valSteps.add(step + 1);
                    valLosses.add(val);
                }
                if (listener != null) {
                    listener.onStep(step + 1, planned, out.meanLoss(), val, tokensPerStep / (out.wallNanos() / 1e9));
                }
            }
            if (afterSteps != null) {
                afterSteps.run();
            }
            double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
            double wall = measuredWall / 1e9;
            OpTimes passes = model.profile().minus(evalCache != null ? evalCache.profile() : OpTimes.ZERO);
            Training training = new Training(measured, warmupSteps, tokensPerStep, wall, cpu,
                    tokensPerStep * measured / wall, losses, valLosses, valSteps, stepWall, settled,
                    ModelFlops.perToken(model.config()), passes.byName(), group);
            return new Outcome(training, trainer.contention(), trainer.tree().size(), trainer.tree().bytes(),
                    trainer.workers());
        }
    }

    /** The measured steps a timed measurement will have taken, estimated from those so far. */
    private static int plannedMeasured(int measured, long measuredWall, RunSpec.Schedule schedule) {
        if (!schedule.timed() || measured == 0) {
            return schedule.steps();
        }
        double perStep = measuredWall / 1e9 / measured;
        return Math.max(measured, (int) Math.ceil(schedule.measureSeconds() / perStep));
    }

    /** Mean loss over the first {@code batches} validation batches, single-threaded. */
    public static double validate(Transformer model, float[] params, Dataset data, int batches, ActivationCache cache) {
        double sum = 0;
        int n = 0;
        int count = Math.min(batches, data.validationBatches());
        for (int b = 0; b < count; b++) {
            Batch v = data.validationBatch(b);
            for (int i = 0; i < v.size(); i++) {
                WorkItem it = v.item(i);
                sum += model.forward(params, it.tokens(), it.targets(), it.offset(), it.length(), cache);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Training produced a loss that is not a finite number: the learning rate (or the data) is at fault. */
    public static final class TrainingDivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TrainingDivergedException(String message) {
            super(message);
        }
    }
}
