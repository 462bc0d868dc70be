package org.cllmlab.strategies.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.train.ParallelTrainer;
import org.cllmlab.core.train.WorkerStats;
import org.cllmlab.strategies.Registries;

/**
 * Hunts for data races on purpose, for a bounded time. A race on a shared gradient (two workers adding into
 * the same buffer without a lock, say) loses an update only when the two adds touch the same cache line at
 * the same moment; two workers whose adds start microseconds apart stream through the buffer one behind
 * the other and lose nothing. So a step run the normal way catches such a race only by chance. This
 * hunt instead drives the strategy's session itself, in <em>waves</em>: every worker gets the same item
 * (so their work takes the same time), all of them spin until one instant and start together, each
 * after its own small delay, and the delays sweep a range of a few microseconds in steps of tens of
 * nanoseconds. Somewhere in every sweep the workers' shared updates coincide, and a lost update shows as a
 * gradient that is not the reference's. Every wave's gradient is checked.
 *
 * <p>The model is shaped so that the gradient is large next to the work that produces it (a wide
 * vocabulary, one token per item): the window in which updates can collide is then a large share of a
 * wave. The waves run with 2 up to one more worker than there are cores, then rounds of the real
 * engine's steps with 8 workers and items of different lengths, in turn, until the budget is spent.
 */
final class RaceHunt {

    /** Wide vocabulary, one token per item: 68k parameters, most of them the tied embedding. */
    static final ModelConfig MODEL = new ModelConfig(16, 1, 2, 32, 1, 1, 4096);
    /** Half the range the workers' relative start sweeps, and its step. */
    static final long SWEEP_NANOS = 4_000;
    static final long SWEEP_STEP_NANOS = 25;
    /** Waves per round before the worker count changes. */
    static final int WAVES_PER_ROUND = 400;
    /** A wave that takes longer than this is a hang. */
    static final long WAVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Registries registries;
    private final String strategy;
    private final Duration budget;
    private final Transformer model;
    private final float[] params;

    RaceHunt(Registries registries, String strategy, Duration budget) {
        this.registries = registries;
        this.strategy = strategy;
        this.budget = budget;
        String kernels = Kernels.vectorApiAvailable() && registries.kernels().contains("vector") ? "vector" : "blocked";
        this.model = new Transformer(MODEL, registries.kernels().create(kernels));
        this.params = StrategyContract.params(model, 17);
    }

    static String setting(Duration budget) {
        return String.format(Locale.ROOT, "%.1f s of lockstep waves", budget.toMillis() / 1000.0);
    }

    StrategyContract.Result run() throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<Integer> counts = new ArrayList<>();
        for (int w = 2; w <= cores + 1; w++) {
            counts.add(w);
        }
        Map<String, Integer> done = new LinkedHashMap<>();
        int round = 0;
        double worst = 0;
        do {
            int slot = round % (counts.size() + 1);
            Outcome o;
            String key;
            if (slot < counts.size()) {
                int w = counts.get(slot);
                key = "W=" + w;
                o = lockstep(w, round, deadline);
            } else {
                key = "engine W=8";
                o = engine(8, round, deadline);
            }
            done.merge(key, o.waves(), Integer::sum);
            worst = Math.max(worst, o.worst());
            if (o.failure() != null) {
                return StrategyContract.fail("races", setting(budget), key + ", " + o.failure()
                        + " (a lost or doubled update: the strategy shares a buffer without synchronising)", worst, t0);
            }
            round++;
        } while (System.nanoTime() < deadline);
        int total = done.values().stream().mapToInt(Integer::intValue).sum();
        return StrategyContract.pass("races", setting(budget), String.format(Locale.ROOT,
                "%,d waves, every gradient the reference's (%s)", total, summary(done)), worst, t0);
    }

    private static String summary(Map<String, Integer> done) {
        List<String> parts = new ArrayList<>();
        done.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    /** What a round saw: waves run, the largest difference, and the first failure (or null). */
    record Outcome(int waves, double worst, String failure) {
    }

    /** One round of lockstep waves with {@code workers} of our own threads driving the session. */
    private Outcome lockstep(int workers, int round, long deadline) throws InterruptedException {
        int seq = MODEL.seq();
        int[] tokens = new int[seq];
        int[] targets = new int[seq];
        SplittableRandom r = new SplittableRandom(31L * round + workers);
        for (int i = 0; i < seq; i++) {
            tokens[i] = r.nextInt(MODEL.vocab());
            targets[i] = r.nextInt(MODEL.vocab());
        }
        List<WorkItem> items = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            items.add(new WorkItem(w, tokens, targets, 0, seq));
        }
        float scale = 1f / workers;
        double[] loss = new double[1];
        float[] expected = StrategyContract.referenceGradient(model, params, items, scale, loss);
        float[] gradients = new float[model.layout().size()];
        MemoryLedger ledger = new MemoryLedger();
        StrategyContext ctx = new StrategyContext(model, workers, seq, ledger, new WorkerStats(workers), gradients);
        ConcurrencyStrategy s = registries.strategies().create(strategy);
        try (ConcurrencyStrategy.Session session = s.open(ctx)) {
            int parts = Math.max(1, session.reductionParts());
            Wave wave = new Wave(workers);
            Thread[] threads = wave.threads;
            for (int w = 0; w < workers; w++) {
                int me = w;
                threads[w] = Thread.ofPlatform().daemon(true).name("race-hunt-" + w).unstarted(
                        () -> wave.work(me, () -> session.process(me, items.get(me), params, scale),
                                part -> session.reduce(part), parts));
            }
            for (Thread t : threads) {
                t.start();
            }
            long sweepSlots = 2 * SWEEP_NANOS / SWEEP_STEP_NANOS + 1;
            double worst = 0;
            int n = 0;
            try {
                for (; n < WAVES_PER_ROUND && System.nanoTime() < deadline; n++) {
                    Arrays.fill(gradients, 0f);
                    session.beginStep();
                    // A stride co-prime with the slots visits every offset once per sweep, in scattered order.
                    long slot = (n * 97L + round * 13L) % sweepSlots;
                    long offset = slot * SWEEP_STEP_NANOS - SWEEP_NANOS;
                    for (int w = 0; w < workers; w++) {
                        long d = w == 0 ? 0 : w == 1 ? offset : r.nextLong(2 * SWEEP_NANOS + 1) - SWEEP_NANOS;
                        wave.delay[w] = d;
                    }
                    long min = Arrays.stream(wave.delay).min().orElse(0);
                    for (int w = 0; w < workers; w++) {
                        wave.delay[w] -= min;
                    }
                    String problem = wave.release();
                    if (problem != null) {
                        return new Outcome(n, worst, "wave " + (n + 1) + ": " + problem);
                    }
                    StrategyContract.Difference d = StrategyContract.Difference.of(gradients, expected);
                    worst = Math.max(worst, d.max());
                    if (!d.within(StrategyContract.TOLERANCE)) {
                        return new Outcome(n + 1, worst, String.format(Locale.ROOT,
                                "wave %d (second worker started %+d ns after the first): %s", n + 1, offset, d));
                    }
                }
            } finally {
                wave.stop();
                for (Thread t : threads) {
                    t.join(TimeUnit.NANOSECONDS.toMillis(WAVE_TIMEOUT_NANOS));
                }
            }
            return new Outcome(n, worst, null);
        }
    }

    /** A round of the real engine's steps: 8 workers, items of different lengths, checked step by step. */
    private Outcome engine(int workers, int round, long deadline) {
        SplittableRandom r = new SplittableRandom(977L * round);
        int count = workers * 2;
        int seq = MODEL.seq();
        int[] tokens = new int[count * seq];
        int[] targets = new int[count * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(MODEL.vocab());
            targets[i] = r.nextInt(MODEL.vocab());
        }
        List<WorkItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new WorkItem(i, tokens, targets, i * seq, 1 + r.nextInt(seq)));
        }
        float scale = 1f / count;
        double[] loss = new double[1];
        float[] expected = StrategyContract.referenceGradient(model, params, items, scale, loss);
        StrategyContract contract = new StrategyContract(registries);
        double worst = 0;
        int steps = 0;
        try (ParallelTrainer t = new ParallelTrainer(model, params,
                contract.concurrency(registries.strategies().create(strategy), workers, "platform-1m"),
                new MemoryLedger())) {
            for (; steps < 50 && System.nanoTime() < deadline; steps++) {
                t.step(items, scale, null);
                StrategyContract.Difference d = StrategyContract.Difference.of(t.gradients(), expected);
                worst = Math.max(worst, d.max());
                if (!d.within(StrategyContract.TOLERANCE)) {
                    return new Outcome(steps + 1, worst, "step " + (steps + 1) + ": " + d);
                }
            }
        }
        return new Outcome(steps, worst, null);
    }

    /**
     * The waves' rendezvous: the main thread publishes a wave and a start instant a little ahead, and wakes
     * the workers; they spin until their own start, run their item, meet, then run the reduction parts as
     * the engine does. Spinning until the instant (not parking) is what lets the workers start within
     * nanoseconds of it; between waves they park, so that the main thread is not kept from a core.
     */
    private static final class Wave {
        final long[] delay;
        final Thread[] threads;
        final int workers;
        volatile long wave;
        volatile long startAt;
        volatile boolean stopped;
        volatile Thread main;
        final AtomicInteger processed = new AtomicInteger();
        final AtomicInteger reduced = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Wave(int workers) {
            this.workers = workers;
            this.delay = new long[workers];
            this.threads = new Thread[workers];
        }

        /** Runs one wave; returns null when it completed, else what went wrong. */
        String release() {
            processed.set(0);
            reduced.set(0);
            main = Thread.currentThread();
            startAt = System.nanoTime() + 300_000;
            wave++;
            for (Thread t : threads) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
            long until = System.nanoTime() + WAVE_TIMEOUT_NANOS;
            // The main thread parks: spinning here would take a core from the workers.
            while (reduced.get() < workers) {
                if (failure.get() != null && reduced.get() >= workers) {
                    break;
                }
                if (System.nanoTime() > until) {
                    return "did not finish within " + TimeUnit.NANOSECONDS.toSeconds(WAVE_TIMEOUT_NANOS)
                            + " s (a worker is stuck)";
                }
                java.util.concurrent.locks.LockSupport.parkNanos(this, 100_000);
            }
            return failure.get() == null ? null : "a worker threw " + StrategyContract.describe(failure.get());
        }

        void stop() {
            stopped = true;
            wave++;
            for (Thread t : threads) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }

        void work(int me, Runnable process, java.util.function.IntConsumer reduce, int parts) {
            long seen = 0;
            while (true) {
                while (wave == seen && !stopped) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                if (stopped) {
                    return;
                }
                seen = wave;
                try {
                    long start = startAt + delay[me];
                    while (System.nanoTime() < start) {
                        Thread.onSpinWait();
                    }
                    process.run();
                    processed.incrementAndGet();
                    spinUntil(() -> processed.get() >= workers || failure.get() != null || stopped);
                    for (int part = me; part < parts && failure.get() == null; part += workers) {
                        reduce.accept(part);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    processed.incrementAndGet();
                } finally {
                    if (reduced.incrementAndGet() == workers) {
                        java.util.concurrent.locks.LockSupport.unpark(main);
                    }
                }
            }
        }

        private static void spinUntil(java.util.function.BooleanSupplier done) {
            long spins = 0;
            while (!done.getAsBoolean()) {
                if (++spins < 20_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
