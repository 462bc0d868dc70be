package org.cllmlab.strategies.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.run.BatchMode;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.train.AdamW;
import org.cllmlab.core.train.Concurrency;
import org.cllmlab.core.train.ParallelTrainer;
import org.cllmlab.core.train.StepFailedException;
import org.cllmlab.strategies.Registries;

/**
 * The contract every strategy must keep, as checks anyone can run: {@code StrategyContractTest} runs them
 * over every registered name, and {@code ./lab verify NAME} over one strategy, built-in or from a
 * plug-in jar. The checks (in the spirit of JCTools' {@code QueueSanityTest}):
 * <ul>
 *   <li><b>gradient</b>: for 1, 2, 3, 8 and 63 workers in both batch modes, with the items handed out in
 *       groups as training does ({@code ParallelTrainer.groupFor}: groups of 1 to 8), two steps' gradients
 *       equal the single-threaded reference within float rounding (the second step proves the strategy
 *       left its buffers clean);</li>
 *   <li><b>kernels</b>: the same under the fast kernels, against the reference kernels;</li>
 *   <li><b>loss curve</b>: twenty optimizer steps follow the reference's loss curve;</li>
 *   <li><b>failure</b>: a worker that throws fails the step within a second, with its cause, and leaves
 *       no thread parked on a barrier, a lock or a slot queue;</li>
 *   <li><b>63 workers</b>: 63 workers on this machine's cores finish every step;</li>
 *   <li><b>races</b>: {@link RaceHunt} repeats the gradient check for a bounded time with workers
 *       started together on purpose, so that an unprotected shared update is caught every time, not by
 *       chance.</li>
 * </ul>
 */
public final class StrategyContract {

    /** A model smaller than the tiny preset, so that 63 workers stay fast on two cores. */
    public static final ModelConfig CONFIG = new ModelConfig(32, 2, 2, 64, 16, 8, 40);
    /** The worker counts of the gradient check. */
    public static final int[] WORKERS = {1, 2, 3, 8, 63};
    /** How long the race hunt runs by default. */
    public static final Duration DEFAULT_RACE_BUDGET = Duration.ofSeconds(4);
    /** The checks' names, in the order they run. */
    public static final List<String> CHECKS = List.of("gradient", "kernels", "loss curve", "failure", "63 workers",
            "races");
    /** A step's gradient matches when no index differs by more than this share of the largest |g|. */
    public static final double TOLERANCE = 2e-5;

    /**
     * One check's outcome.
     *
     * @param check         the check's name ({@code gradient}, {@code kernels}, {@code races}, ...)
     * @param setting       what it ran with, e.g. {@code W=8 per-worker}
     * @param passed        whether the strategy kept the contract
     * @param detail        what was seen: on failure, the first difference or the error
     * @param maxDifference the largest |difference| from the reference seen (NaN where not a gradient check)
     * @param seconds       how long the check took
     */
    public record Result(String check, String setting, boolean passed, String detail, double maxDifference,
                         double seconds) {
    }

    /** One check of one strategy, not yet run. */
    public record Case(String check, String setting, Callable<Result> run) {
        /** Runs it; an exception from the strategy fails the check with its message. */
        public Result execute() {
            long t0 = System.nanoTime();
            try {
                return run.call();
            } catch (Throwable t) {
                return new Result(check, setting, false, describe(t), Double.NaN, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** The outcome of every check of one strategy. */
    public record Report(String strategy, List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }
    }

    private final Registries registries;
    private final Transformer model = new Transformer(CONFIG, new ReferenceKernels());

    public StrategyContract(Registries registries) {
        this.registries = registries;
    }

    /** Every check of {@code strategy}, in order; the race hunt runs for {@code raceBudget}. */
    public List<Case> cases(String strategy, Duration raceBudget) {
        registries.strategies().require(strategy);
        List<Case> out = new ArrayList<>();
        for (int w : WORKERS) {
            for (BatchMode mode : List.of(BatchMode.GLOBAL, BatchMode.PER_WORKER)) {
                out.add(new Case("gradient", "W=" + w + " " + mode.id(), () -> gradient(strategy, w, mode)));
            }
        }
        for (String k : fastKernels()) {
            for (int w : new int[] {1, 2, 8}) {
                out.add(new Case("kernels", k + " W=" + w, () -> fastKernels(strategy, k, w)));
            }
        }
        out.add(new Case("loss curve", "20 steps, W=3 virtual", () -> lossCurve(strategy)));
        out.add(new Case("failure", "W=8", () -> workerFailure(strategy)));
        out.add(new Case("63 workers", "W=63 on " + Runtime.getRuntime().availableProcessors() + " cores",
                () -> manyWorkers(strategy)));
        out.add(new Case("races", RaceHunt.setting(raceBudget), () -> new RaceHunt(registries, strategy, raceBudget).run()));
        return out;
    }

    /**
     * Runs the checks of {@code strategy} named in {@code only} (all when empty), handing each result to
     * {@code onResult} as it finishes.
     */
    public Report verify(String strategy, Duration raceBudget, List<String> only, Consumer<Result> onResult) {
        List<Result> results = new ArrayList<>();
        for (Case c : cases(strategy, raceBudget)) {
            if (!only.isEmpty() && !only.contains(c.check())) {
                continue;
            }
            Result r = c.execute();
            results.add(r);
            if (onResult != null) {
                onResult.accept(r);
            }
        }
        return new Report(strategy, results);
    }

    /** The registered kernels other than the reference (the vector kernel only where the Vector API is). */
    List<String> fastKernels() {
        List<String> out = new ArrayList<>();
        for (String k : registries.kernels().names()) {
            if (k.equals("reference") || k.equals("vector") && !Kernels.vectorApiAvailable()) {
                continue;
            }
            out.add(k);
        }
        return out;
    }

    // ------------------------------------------------------------------ the checks

    Result gradient(String strategy, int workers, BatchMode mode) {
        long t0 = System.nanoTime();
        float[] params = params(model, 7);
        int count = mode == BatchMode.GLOBAL ? CONFIG.batch() : workers * 2;
        List<WorkItem> items = items(count, 11 + workers);
        float scale = 1f / count;
        double[] refLoss = new double[1];
        float[] expected = referenceGradient(model, params, items, scale, refLoss);
        double worst = 0;
        // Items in groups, as training hands them out: a strategy that runs a group as one pass is checked too.
        int group = ParallelTrainer.groupFor(count, workers, CONFIG.batch());
        try (ParallelTrainer t = trainer(model, strategy, params, workers, "platform-1m", group)) {
            for (int step = 0; step < 2; step++) {
                ParallelTrainer.StepOutcome out = t.step(items, scale, null);
                Difference d = Difference.of(t.gradients(), expected);
                worst = Math.max(worst, d.max());
                String setting = "W=" + workers + " " + mode.id() + ", groups of " + group;
                if (!d.within(TOLERANCE)) {
                    return fail("gradient", setting, "step " + (step + 1) + ": " + d, d.max(), t0);
                }
                if (Math.abs(out.meanLoss() - refLoss[0]) > 1e-5) {
                    return fail("gradient", setting, String.format(Locale.ROOT,
                            "step %d: mean loss %.7f, expected %.7f", step + 1, out.meanLoss(), refLoss[0]), d.max(), t0);
                }
            }
        }
        return pass("gradient", "W=" + workers + " " + mode.id() + ", groups of " + group, "2 steps match", worst, t0);
    }

    Result fastKernels(String strategy, String kernels, int workers) {
        long t0 = System.nanoTime();
        Transformer fast = new Transformer(CONFIG, registries.kernels().create(kernels));
        float[] params = params(model, 5);
        List<WorkItem> items = items(CONFIG.batch(), 13 + workers);
        float scale = 1f / items.size();
        double[] refLoss = new double[1];
        float[] expected = referenceGradient(model, params, items, scale, refLoss);
        int group = ParallelTrainer.groupFor(items.size(), workers, CONFIG.batch());
        String setting = kernels + " W=" + workers + ", groups of " + group;
        try (ParallelTrainer t = trainer(fast, strategy, params, workers, "platform-1m", group)) {
            ParallelTrainer.StepOutcome out = t.step(items, scale, null);
            Difference d = Difference.of(t.gradients(), expected);
            if (!d.within(TOLERANCE)) {
                return fail("kernels", setting, d.toString(), d.max(), t0);
            }
            if (Math.abs(out.meanLoss() - refLoss[0]) > 1e-5) {
                return fail("kernels", setting, String.format(Locale.ROOT, "mean loss %.7f, expected %.7f",
                        out.meanLoss(), refLoss[0]), d.max(), t0);
            }
            return pass("kernels", setting, "matches the reference kernels", d.max(), t0);
        }
    }

    Result lossCurve(String strategy) {
        long t0 = System.nanoTime();
        int steps = 20;
        float[] refParams = params(model, 3);
        float[] params = refParams.clone();
        AdamW refOpt = new AdamW(model.layout(), 3e-3f, new MemoryLedger());
        AdamW opt = new AdamW(model.layout(), 3e-3f, new MemoryLedger());
        double[] refCurve = new double[steps];
        double[] curve = new double[steps];
        try (ParallelTrainer t = trainer(model, strategy, params, 3, "virtual")) {
            for (int s = 0; s < steps; s++) {
                List<WorkItem> items = items(CONFIG.batch(), 1000 + s);
                float scale = 1f / items.size();
                double[] loss = new double[1];
                float[] g = referenceGradient(model, refParams, items, scale, loss);
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
            if (Math.abs(curve[s] - refCurve[s]) > 1e-3 + 1e-4 * refCurve[s]) {
                return fail("loss curve", "20 steps, W=3 virtual", String.format(Locale.ROOT,
                        "loss at step %d is %.5f, the reference's %.5f", s + 1, curve[s], refCurve[s]), Double.NaN, t0);
            }
        }
        if (!(refCurve[steps - 1] < refCurve[0])) {
            return fail("loss curve", "20 steps, W=3 virtual", "the reference itself did not learn", Double.NaN, t0);
        }
        return pass("loss curve", "20 steps, W=3 virtual", String.format(Locale.ROOT, "loss %.3f → %.3f as the reference",
                curve[0], curve[steps - 1]), Double.NaN, t0);
    }

    Result workerFailure(String strategy) throws Exception {
        long t0 = System.nanoTime();
        int workers = 8;
        int count = workers * 3;
        int failAt = new SplittableRandom(strategy.hashCode()).nextInt(count);
        List<WorkItem> items = items(count, 5);
        AtomicBoolean armed = new AtomicBoolean();
        ConcurrencyStrategy failing = failingAt(registries.strategies().create(strategy), failAt, armed);
        ParallelTrainer t = new ParallelTrainer(model, params(model, 1), concurrency(failing, workers, "platform-1m"),
                new MemoryLedger());
        String setting = "W=" + workers;
        double took;
        try {
            t.step(items(count, 4), 1f / count, null); // a healthy step first
            armed.set(true);
            long s0 = System.nanoTime();
            ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "contract-failure-step");
                th.setDaemon(true);
                return th;
            });
            Future<?> f = ex.submit(() -> t.step(items, 1f / count, null));
            Throwable thrown;
            try {
                f.get(1, TimeUnit.SECONDS);
                return fail("failure", setting, "a worker's exception did not fail the step", Double.NaN, t0);
            } catch (TimeoutException e) {
                f.cancel(true);
                return fail("failure", setting, "the step did not fail within 1 s of a worker's exception (a worker is"
                        + " stuck: " + stuck(t) + ")", Double.NaN, t0);
            } catch (java.util.concurrent.ExecutionException e) {
                thrown = e.getCause();
            } finally {
                ex.shutdownNow();
            }
            took = (System.nanoTime() - s0) / 1e9;
            if (!(thrown instanceof StepFailedException)) {
                return fail("failure", setting, "the step failed with " + describe(thrown)
                        + ", expected the engine's StepFailedException", Double.NaN, t0);
            }
            String msg = String.valueOf(thrown.getMessage());
            Throwable root = thrown;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (!msg.contains("item " + failAt + ":") || !String.valueOf(root.getMessage())
                    .contains("expected 0.." + (CONFIG.vocab() - 1))) {
                return fail("failure", setting, "the failure does not carry its cause: " + msg, Double.NaN, t0);
            }
            Thread.sleep(50);
            String parked = stuck(t);
            if (!parked.isEmpty()) {
                return fail("failure", setting, "after the failure a worker is still parked: " + parked, Double.NaN, t0);
            }
            try {
                t.step(items, 1f / count, null);
                return fail("failure", setting, "a failed trainer accepted another step", Double.NaN, t0);
            } catch (IllegalStateException expected) {
                // a failed trainer is unusable, as documented
            }
        } finally {
            t.close();
        }
        for (Thread w : t.threads()) {
            w.join(1000);
            if (w.isAlive()) {
                return fail("failure", setting, w.getName() + " still runs after close", Double.NaN, t0);
            }
        }
        try (ParallelTrainer fresh = trainer(model, strategy, params(model, 1), workers, "platform-1m")) {
            if (!Double.isFinite(fresh.step(items, 1f / count, null).meanLoss())) {
                return fail("failure", setting, "a new run after the failure did not train", Double.NaN, t0);
            }
        }
        return pass("failure", setting, String.format(Locale.ROOT, "the step failed in %.0f ms with its cause; no thread"
                + " left parked", 1000 * took), Double.NaN, t0);
    }

    Result manyWorkers(String strategy) throws Exception {
        long t0 = System.nanoTime();
        String setting = "W=63 on " + Runtime.getRuntime().availableProcessors() + " cores";
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "contract-63-workers");
            th.setDaemon(true);
            return th;
        });
        try {
            Future<String> f = ex.submit(() -> {
                try (ParallelTrainer t = trainer(model, strategy, params(model, 2), 63, "platform-1m")) {
                    for (int s = 0; s < 3; s++) {
                        if (!Double.isFinite(t.step(items(63, 50 + s), 1f / 63, null).meanLoss())) {
                            return "step " + (s + 1) + " gave a loss that is not finite";
                        }
                    }
                    for (var w : t.contention().perWorker()) {
                        if (w.items() != 3) {
                            return "worker " + w.worker() + " processed " + w.items() + " items in 3 steps, expected 3";
                        }
                    }
                }
                return "";
            });
            String problem = f.get(60, TimeUnit.SECONDS);
            return problem.isEmpty() ? pass("63 workers", setting, "3 steps, every worker busy", Double.NaN, t0)
                    : fail("63 workers", setting, problem, Double.NaN, t0);
        } catch (TimeoutException e) {
            return fail("63 workers", setting, "3 steps did not finish within 60 s", Double.NaN, t0);
        } finally {
            ex.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ helpers

    ParallelTrainer trainer(Transformer m, String strategy, float[] params, int workers, String threads) {
        return trainer(m, strategy, params, workers, threads, 1);
    }

    /** {@link #trainer(Transformer, String, float[], int, String)} handing each worker up to {@code group} items at once. */
    ParallelTrainer trainer(Transformer m, String strategy, float[] params, int workers, String threads, int group) {
        return new ParallelTrainer(m, params, concurrency(registries.strategies().create(strategy), workers, threads),
                new MemoryLedger(), group);
    }

    Concurrency concurrency(ConcurrencyStrategy strategy, int workers, String threads) {
        return new Concurrency(strategy, registries.threads().create(threads), registries.hierarchies().create("lazy"),
                registries.caches().create("right-sized"), workers);
    }

    static float[] params(Transformer m, long seed) {
        float[] p = new float[m.layout().size()];
        m.initialize(p, seed);
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
    static float[] referenceGradient(Transformer m, float[] params, List<WorkItem> items, float scale,
                                     double[] meanLoss) {
        float[] g = new float[params.length];
        ActivationCache cache = m.newCache(m.config().seq(), new MemoryLedger());
        GradientSink sink = GradientSink.of(g);
        double sum = 0;
        for (WorkItem it : items) {
            sum += m.forward(params, it.tokens(), it.targets(), it.offset(), it.length(), cache);
            m.backward(params, cache, scale, sink);
        }
        meanLoss[0] = sum / items.size();
        return g;
    }

    /** The largest |difference| between two gradients, and where. */
    record Difference(double max, int at, float actual, float expected, double scale) {
        static Difference of(float[] actual, float[] expected) {
            double scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            double worst = 0;
            int at = -1;
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs(actual[i] - expected[i]);
                if (!(err <= worst)) {
                    worst = err;
                    at = i;
                }
            }
            return new Difference(worst, at, at < 0 ? 0 : actual[at], at < 0 ? 0 : expected[at], scale);
        }

        boolean within(double share) {
            return scale > 0 && max <= share * scale;
        }

        @Override
        public String toString() {
            if (scale == 0) {
                return "the reference gradient is all zeros";
            }
            return String.format(Locale.ROOT, "max |difference| %.3g at index %d (got %.6g, expected %.6g; allowed %.3g)",
                    max, at, actual, expected, TOLERANCE * scale);
        }
    }

    /** The worker threads of {@code t} parked on a barrier, lock or slot queue, or "". */
    static String stuck(ParallelTrainer t) {
        List<String> out = new ArrayList<>();
        for (Thread w : t.threads()) {
            for (StackTraceElement e : w.getStackTrace()) {
                String c = e.getClassName();
                if (c.equals("java.util.concurrent.CyclicBarrier") || c.equals("java.util.concurrent.locks.ReentrantLock")
                        || c.equals("java.util.concurrent.ArrayBlockingQueue")) {
                    out.add(w.getName() + " in " + e);
                    break;
                }
            }
        }
        return String.join("; ", out);
    }

    /** Wraps a strategy so that one chosen item fails inside the strategy's own processing. */
    static ConcurrencyStrategy failingAt(ConcurrencyStrategy delegate, int failAt, AtomicBoolean armed) {
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
                    public float process(int worker, WorkItem item, float[] params, float gradScale) {
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

    static Result pass(String check, String setting, String detail, double max, long t0) {
        return new Result(check, setting, true, detail, max, (System.nanoTime() - t0) / 1e9);
    }

    static Result fail(String check, String setting, String detail, double max, long t0) {
        return new Result(check, setting, false, detail, max, (System.nanoTime() - t0) / 1e9);
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.replaceAll("\\s*[\\r\\n]+\\s*", " "));
    }
}
