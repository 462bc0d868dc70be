package org.cllmlab.core.train;

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
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.results.Training;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * One training run: initialise the parameters, then {@code warmup + steps} optimizer steps on the
 * {@link ParallelTrainer}, with validation at intervals. Only the measured steps count towards
 * throughput, and only their step wall time (validation is excluded).
 */
public final class TrainingJob {

    /** How a step's batch relates to the workers (DESIGN §6). */
    public enum BatchMode {
        /** A fixed global batch of {@code batch} items, shared out among the workers (strong scaling). */
        GLOBAL("global"),
        /** Each worker trains a whole batch; one optimizer step per {@code W} batches (weak scaling). */
        PER_WORKER("per-worker");

        private final String id;

        BatchMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static BatchMode parse(String id) {
            for (BatchMode m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("batch-mode: '" + id + "' is unknown; expected one of global, per-worker");
        }
    }

    /**
     * @param steps         measured optimizer steps (at least 1)
     * @param warmup        steps before measuring (0 or more)
     * @param learningRate  AdamW learning rate
     * @param clipNorm      global gradient-norm clip (0 disables)
     * @param evalEvery     validation every this many steps (0: only before and after)
     * @param evalBatches   validation batches per evaluation
     * @param mode          batch mode
     * @param seed          seed of the parameters and of the batches
     * @param schedule      learning-rate schedule over all steps, warm-up included
     */
    public record Options(int steps, int warmup, double learningRate, double clipNorm, int evalEvery,
                          int evalBatches, BatchMode mode, long seed, Schedule schedule) {
        public Options {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps: " + steps + "; expected a positive integer");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup: " + warmup + "; expected 0 or more");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning-rate: " + learningRate + "; expected a positive number");
            }
            if (clipNorm < 0) {
                throw new IllegalArgumentException("clip: " + clipNorm + "; expected 0 (off) or a positive number");
            }
            if (evalEvery < 0 || evalBatches < 0) {
                throw new IllegalArgumentException("eval: every " + evalEvery + ", batches " + evalBatches
                        + "; expected 0 or more");
            }
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(schedule, "schedule");
        }

        public int totalSteps() {
            return warmup + steps;
        }
    }

    /** Called on the main thread after every step. {@code validationLoss} is NaN when not measured. */
    @FunctionalInterface
    public interface Listener {
        void onStep(int step, int totalSteps, double trainLoss, double validationLoss, double tokensPerSecond);
    }

    /** The pieces of the run (see {@link ParallelTrainer.Setup}). */
    public record Plan(Transformer model, Dataset data, ConcurrencyStrategy strategy, ThreadProvisioning threads,
                       Hierarchy hierarchy, CachePolicy caches, int workers, MemoryLedger ledger) {
        public Plan {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
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
    public static Outcome run(Plan plan, Options options, Listener listener, Runnable afterSteps) {
        Transformer model = plan.model();
        Dataset data = plan.data();
        MemoryLedger ledger = plan.ledger();
        float[] params = ledger.floats(Category.PARAMETERS, model.layout().size());
        model.initialize(params, options.seed());
        AdamW optimizer = new AdamW(model.layout(), (float) options.learningRate(), AdamW.DEFAULT_BETA1, 0.95f,
                AdamW.DEFAULT_EPS, AdamW.DEFAULT_WEIGHT_DECAY, ledger);
        int itemsPerStep = options.mode() == BatchMode.GLOBAL
                ? data.batch() : Math.multiplyExact(data.batch(), plan.workers());
        Batch batch = data.newBatch(itemsPerStep);
        List<WorkItem> items = new ArrayList<>(itemsPerStep);
        for (int i = 0; i < itemsPerStep; i++) {
            items.add(batch.item(i));
        }
        float scale = 1f / itemsPerStep;
        long tokensPerStep = (long) itemsPerStep * data.seq();
        ActivationCache evalCache = options.evalBatches() > 0
                ? model.newCache(data.seq(), ledger) : null;
        int total = options.totalSteps();
        int[] stepIndex = {0};
        ParallelTrainer.Update update = (p, g) -> {
            optimizer.setLearningRate((float) learningRate(options, stepIndex[0]++, total));
            if (options.clipNorm() > 0) {
                AdamW.clipGlobalNorm(g, options.clipNorm());
            }
            optimizer.step(p, g);
        };

        List<Double> losses = new ArrayList<>();
        List<Double> valLosses = new ArrayList<>();
        List<Integer> valSteps = new ArrayList<>();
        List<Double> stepWall = new ArrayList<>();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long measuredWall = 0;
        long cpuStart = 0;

        try (ParallelTrainer trainer = new ParallelTrainer(new ParallelTrainer.Setup(model, params, plan.strategy(),
                plan.threads(), plan.hierarchy(), plan.caches(), plan.workers(), ledger))) {
            if (evalCache != null) {
                valSteps.add(0);
                valLosses.add(validate(model, params, data, options.evalBatches(), evalCache));
            }
            for (int step = 0; step < total; step++) {
                if (step == options.warmup()) {
                    trainer.resetFigures();
                    cpuStart = os.getProcessCpuTime();
                }
                data.fillTrainBatch(step, batch);
                ParallelTrainer.StepOutcome out = trainer.step(items, scale, update);
                losses.add(out.meanLoss());
                if (!Double.isFinite(out.meanLoss())) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "training diverged: loss %s at step %d; try a lower learning rate", out.meanLoss(), step + 1));
                }
                if (step >= options.warmup()) {
                    measuredWall += out.wallNanos();
                    stepWall.add(out.wallNanos() / 1e9);
                }
                boolean last = step == total - 1;
                double val = Double.NaN;
                if (evalCache != null && (last || (options.evalEvery() > 0 && (step + 1) % options.evalEvery() == 0))) {
                    val = validate(model, params, data, options.evalBatches(), evalCache);
                    valSteps.add(step + 1);
                    valLosses.add(val);
                }
                if (listener != null) {
                    listener.onStep(step + 1, total, out.meanLoss(), val, tokensPerStep / (out.wallNanos() / 1e9));
                }
            }
            if (afterSteps != null) {
                afterSteps.run();
            }
            double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
            double wall = measuredWall / 1e9;
            Training training = new Training(options.steps(), options.warmup(), tokensPerStep, wall, cpu,
                    tokensPerStep * options.steps() / wall, losses, valLosses, valSteps, stepWall);
            return new Outcome(training, trainer.contention(), trainer.tree().size(), trainer.tree().bytes(),
                    trainer.workers());
        }
    }

    /**
     * The learning rate of optimizer step {@code step} (0-based) out of {@code total}: with the
     * {@code cosine} schedule, a linear warm-up over the first 5% of steps (at least one), then a cosine
     * decay to a tenth of the peak at the last step; with {@code constant}, the peak throughout.
     */
    public static double learningRate(Options options, int step, int total) {
        double peak = options.learningRate();
        if (options.schedule() == Schedule.CONSTANT) {
            return peak;
        }
        int warm = Math.max(1, total / 20);
        if (step < warm) {
            return peak * (step + 1) / warm;
        }
        double progress = total - warm <= 1 ? 1.0 : (double) (step - warm) / (total - warm - 1);
        return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress))));
    }

    /** Learning-rate schedules. */
    public enum Schedule {
        CONSTANT("constant"),
        COSINE("cosine");

        private final String id;

        Schedule(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Schedule parse(String id) {
            for (Schedule s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("lr-schedule: '" + id + "' is unknown; expected one of constant, cosine");
        }
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
}
