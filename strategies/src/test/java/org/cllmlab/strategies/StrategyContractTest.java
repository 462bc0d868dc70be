package org.cllmlab.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.train.AdamW;
import org.cllmlab.core.train.ParallelTrainer;
import org.cllmlab.core.train.StepFailedException;
import org.cllmlab.strategies.example.ExampleStrategyModule;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered strategy must keep, run over every name the injector knows (plus the
 * README's worked example), so a new binding is tested the day it is bound.
 */
class StrategyContractTest {

    /** A model smaller than the tiny preset, so that 63 workers stay fast on two cores. */
    static final ModelConfig CONFIG = new ModelConfig(32, 2, 2, 64, 16, 8, 40);
    static final Registries REGISTRIES = Registries.create(new ExampleStrategyModule());
    static final Transformer MODEL = new Transformer(CONFIG, new ReferenceKernels());
    static final int[] WORKERS = {1, 2, 3, 8, 63};

    enum Mode { GLOBAL, PER_WORKER }

    static Stream<String> strategies() {
        return REGISTRIES.strategies().names().stream();
    }

    static Stream<Arguments> strategiesWorkersModes() {
        List<Arguments> out = new ArrayList<>();
        for (String s : REGISTRIES.strategies().names()) {
            for (int w : WORKERS) {
                for (Mode m : Mode.values()) {
                    out.add(Arguments.of(s, w, m));
                }
            }
        }
        return out.stream();
    }

    static float[] params(long seed) {
        float[] p = new float[MODEL.layout().size()];
        MODEL.initialize(p, seed);
        return p;
    }

    /**
     * {@code count} random items of CONFIG.seq tokens, as one batch's arrays. Each target is a fixed
     * function of its token, so the model has something to learn.
     */
    static List<WorkItem> items(int count, long seed) {
        int seq = CONFIG.seq();
        int[] tokens = new int[count * seq];
        int[] targets = new int[count * seq];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(CONFIG.vocab());
            targets[i] = (tokens[i] * 7 + 3) % CONFIG.vocab();
        }
        List<WorkItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(new WorkItem(i, tokens, targets, i * seq, seq));
        }
        return items;
    }

    /** The single-threaded reference: one cache, one buffer, items in order. */
    static float[] referenceGradient(float[] params, List<WorkItem> items, float scale, double[] meanLoss) {
        float[] g = new float[params.length];
        ActivationCache cache = MODEL.newCache(CONFIG.seq(), new MemoryLedger());
        GradientSink sink = GradientSink.of(g);
        double sum = 0;
        for (WorkItem it : items) {
            sum += MODEL.forward(params, it.tokens(), it.targets(), it.offset(), it.length(), cache);
            MODEL.backward(params, cache, scale, sink);
        }
        meanLoss[0] = sum / items.size();
        return g;
    }

    static ParallelTrainer trainer(ConcurrencyStrategy strategy, float[] params, int workers, String threads) {
        return trainer(MODEL, strategy, params, workers, threads);
    }

    static ParallelTrainer trainer(Transformer model, ConcurrencyStrategy strategy, float[] params, int workers,
                                   String threads) {
        return new ParallelTrainer(new ParallelTrainer.Setup(model, params, strategy,
                REGISTRIES.threads().create(threads), REGISTRIES.hierarchies().create("lazy"),
                REGISTRIES.caches().create("right-sized"), workers, new MemoryLedger()));
    }

    static int itemCount(int workers, Mode mode) {
        // Per-worker mode: each worker trains a batch of its own (2 items here, to stay fast at W = 63).
        return mode == Mode.GLOBAL ? CONFIG.batch() : workers * 2;
    }

    static void assertClose(float[] actual, float[] expected, String what) {
        double maxAbs = 0;
        for (float v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertThat(maxAbs).as("reference gradient is not all zeros").isGreaterThan(0);
        double tol = 2e-5 * maxAbs;
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= worstErr)) {
                worstErr = err;
                worst = i;
            }
        }
        assertThat(worstErr).as("%s: max |difference| at index %d (actual %s, expected %s; max |g| %s)",
                what, worst, worst < 0 ? "" : actual[worst], worst < 0 ? "" : expected[worst], maxAbs)
                .isLessThanOrEqualTo(tol);
    }

    @ParameterizedTest(name = "{0} W={1} {2}")
    @MethodSource("strategiesWorkersModes")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void step_anyWorkersAndMode_gradientEqualsSingleThreadedReference(String name, int workers, Mode mode) {
        float[] params = params(7);
        int count = itemCount(workers, mode);
        List<WorkItem> items = items(count, 11 + workers);
        float scale = 1f / count;
        double[] refLoss = new double[1];
        float[] expected = referenceGradient(params, items, scale, refLoss);
        try (ParallelTrainer t = trainer(REGISTRIES.strategies().create(name), params, workers, "platform-1m")) {
            // Two steps: the second proves the strategy's buffers were left clean by the first.
            for (int step = 0; step < 2; step++) {
                ParallelTrainer.StepOutcome out = t.step(items, scale, null);
                assertClose(t.gradients(), expected, name + " step " + step);
                assertThat(out.meanLoss()).isCloseTo(refLoss[0], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    static Stream<Arguments> strategiesFastKernelsWorkers() {
        List<Arguments> out = new ArrayList<>();
        for (String s : REGISTRIES.strategies().names()) {
            for (String k : List.of("blocked", "vector")) {
                for (int w : new int[] {1, 2, 8}) {
                    out.add(Arguments.of(s, k, w));
                }
            }
        }
        return out.stream();
    }

    /**
     * The fast kernels change no strategy: under each of them every strategy's gradient equals the
     * single-threaded gradient of the reference kernels, up to the rounding of a different summation order.
     */
    @ParameterizedTest(name = "{0} {1} W={2}")
    @MethodSource("strategiesFastKernelsWorkers")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void step_fastKernels_gradientEqualsReferenceKernelsSingleThreaded(String name, String kernels, int workers) {
        Transformer fast = new Transformer(CONFIG, org.cllmlab.core.kernel.Kernels.byName(kernels));
        float[] params = params(5);
        List<WorkItem> items = items(CONFIG.batch(), 13 + workers);
        float scale = 1f / items.size();
        double[] refLoss = new double[1];
        float[] expected = referenceGradient(params, items, scale, refLoss);
        try (ParallelTrainer t = trainer(fast, REGISTRIES.strategies().create(name), params, workers, "platform-1m")) {
            ParallelTrainer.StepOutcome out = t.step(items, scale, null);
            assertClose(t.gradients(), expected, name + " with " + kernels + " kernels");
            assertThat(out.meanLoss()).isCloseTo(refLoss[0], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void train_twentySteps_followsReferenceLossCurve(String name) {
        int steps = 20;
        int workers = 3;
        float[] refParams = params(3);
        float[] params = refParams.clone();
        AdamW refOpt = new AdamW(MODEL.layout(), 3e-3f, new MemoryLedger());
        AdamW opt = new AdamW(MODEL.layout(), 3e-3f, new MemoryLedger());
        double[] refCurve = new double[steps];
        double[] curve = new double[steps];
        try (ParallelTrainer t = trainer(REGISTRIES.strategies().create(name), params, workers, "virtual")) {
            for (int s = 0; s < steps; s++) {
                List<WorkItem> items = items(CONFIG.batch(), 1000 + s);
                float scale = 1f / items.size();
                double[] loss = new double[1];
                float[] g = referenceGradient(refParams, items, scale, loss);
                refCurve[s] = loss[0];
                AdamW.clipGlobalNorm(g, 1.0);
                refOpt.step(refParams, g);
                curve[s] = t.step(items, scale, (p, grads) -> {
                    AdamW.clipGlobalNorm(grads, 1.0);
                    opt.step(p, grads);
                }).meanLoss();
            }
        }
        for (int s = 0; s < steps; s++) {
            assertThat(curve[s]).as("%s loss at step %d", name, s)
                    .isCloseTo(refCurve[s], org.assertj.core.data.Offset.offset(1e-3 + 1e-4 * refCurve[s]));
        }
        assertThat(refCurve[steps - 1]).as("the reference itself learns").isLessThan(refCurve[0]);
    }

    /** Wraps a strategy so that one chosen item fails inside the strategy's own processing. */
    static ConcurrencyStrategy failingAt(ConcurrencyStrategy delegate, int failAt,
                                         java.util.concurrent.atomic.AtomicBoolean armed) {
        return new ConcurrencyStrategy() {
            @Override
            public String name() {
                return delegate.name();
            }

            @Override
            public String description() {
                return delegate.description();
            }

            @Override
            public Session open(StrategyContext ctx) {
                Session s = delegate.open(ctx);
                return new Session() {
                    @Override
                    public void beginStep() {
                        s.beginStep();
                    }

                    @Override
                    public float process(int worker, WorkItem item, float[] params, float gradScale)
                            throws InterruptedException {
                        if (item.index() != failAt || !armed.get()) {
                            return s.process(worker, item, params, gradScale);
                        }
                        // A token id beyond the vocabulary fails inside forward, under whatever locks
                        // or slots the strategy holds there.
                        int[] bad = Arrays.copyOf(item.tokens(), item.tokens().length);
                        bad[item.offset() + item.length() / 2] = CONFIG.vocab() + 1000;
                        s.process(worker, new WorkItem(item.index(), bad, item.targets(), item.offset(),
                                item.length()), params, gradScale);
                        throw new IllegalStateException("injected failure did not fail");
                    }

                    @Override
                    public int reductionParts() {
                        return s.reductionParts();
                    }

                    @Override
                    public void reduce(int part) {
                        s.reduce(part);
                    }

                    @Override
                    public void close() {
                        s.close();
                    }
                };
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void step_workerThrows_failsWithinASecondAndFreesEveryThread(String name) throws Exception {
        int workers = 8;
        int count = workers * 3;
        int failAt = new SplittableRandom(name.hashCode()).nextInt(count);
        List<WorkItem> items = items(count, 5);
        var armed = new java.util.concurrent.atomic.AtomicBoolean();
        ParallelTrainer t = trainer(failingAt(REGISTRIES.strategies().create(name), failAt, armed),
                params(1), workers, "platform-1m");
        try {
            t.step(items(count, 4), 1f / count, null); // a healthy step first
            armed.set(true);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> t.step(items, 1f / count, null)))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("item " + failAt + ":")
                    .rootCause().hasMessageContaining("expected 0.." + (CONFIG.vocab() - 1));
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
            // No worker may be left parked at the barrier, on a lock or on a slot queue.
            Thread.sleep(50);
            for (Thread w : t.threads()) {
                for (StackTraceElement e : w.getStackTrace()) {
                    assertThat(e.getClassName()).as("worker %s is stuck in %s", w.getName(), e)
                            .isNotIn("java.util.concurrent.CyclicBarrier",
                                    "java.util.concurrent.locks.ReentrantLock",
                                    "java.util.concurrent.ArrayBlockingQueue");
                }
            }
            assertThatThrownBy(() -> t.step(items, 1f / count, null)).isInstanceOf(IllegalStateException.class);
        } finally {
            t.close();
        }
        for (Thread w : t.threads()) {
            w.join(1000);
            assertThat(w.isAlive()).as("%s stopped after close", w.getName()).isFalse();
        }
        // A new run in the same JVM works.
        try (ParallelTrainer fresh = trainer(REGISTRIES.strategies().create(name), params(1), workers, "platform-1m")) {
            assertThat(fresh.step(items, 1f / count, null).meanLoss()).isFinite();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void step_63WorkersOnTwoCores_finishesEveryStep(String name) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ParallelTrainer t = trainer(REGISTRIES.strategies().create(name), params(2), 63, "platform-1m")) {
                for (int s = 0; s < 3; s++) {
                    List<WorkItem> items = items(63, 50 + s);
                    assertThat(t.step(items, 1f / 63, null).meanLoss()).isFinite();
                }
                assertThat(t.contention().perWorker()).hasSize(63)
                        .allSatisfy(w -> assertThat(w.items()).isEqualTo(3));
            }
        });
    }
}
