package org.cllmlab.core.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.hierarchy.Sphere;
import org.cllmlab.core.hierarchy.SphereTree;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.results.Contention;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StepAbortedException;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.TimedLock;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * The parallel training step. {@code W} long-lived worker threads, made by the run's
 * {@link ThreadProvisioning}, each bound to one sphere of the run's {@link SphereTree}. One step:
 * <ol>
 *   <li>the calling (main) thread zeroes the gradient buffer and puts item {@code i} into the queue of
 *       worker {@code i mod W}'s sphere, then releases every worker;</li>
 *   <li>each worker drains its sphere's queue through the strategy's {@code process};</li>
 *   <li>all workers meet at a barrier, whose trip makes every gradient write visible to every
 *       worker;</li>
 *   <li>the workers reduce the strategy's parts in parallel, then signal the main thread, which
 *       applies the update (clipping and the optimizer) alone, while no worker runs.</li>
 * </ol>
 *
 * <p><b>Failure.</b> A worker that throws aborts the step at once: the barrier is broken, every other
 * worker is interrupted (lock waits are interruptible), and {@link #step} throws
 * {@link StepFailedException} with the worker's exception as its cause, within milliseconds. The
 * trainer is then unusable; {@link #close} still stops its threads.
 *
 * <p>Not thread-safe: one main thread drives it.
 */
public final class ParallelTrainer implements AutoCloseable {

    /** What the caller does with the reduced gradient, on the main thread, before the next step. */
    @FunctionalInterface
    public interface Update {
        void apply(float[] params, float[] gradients);
    }

    /**
     * The figures of one step; the four phases add up to its wall time.
     *
     * @param prepareNanos   the main thread alone: zeroing the gradient buffer, handing out the items
     * @param computeNanos   from releasing the workers to the barrier's trip
     * @param reductionNanos from the barrier's trip to the last reduction part's end
     * @param updateNanos    the main thread alone: clipping and the optimizer
     */
    public record StepOutcome(double meanLoss, long wallNanos, long prepareNanos, long computeNanos,
                              long reductionNanos, long updateNanos) {
    }

    /**
     * The most items {@link #groupFor} puts in one group. Measured on the seed model (AVX-512 Intel, one
     * JVM, alternating, forward and backward): a group of 4 ran 1.10× faster than its items one by one, of
     * 8 1.13×, of 16 no faster than 8; each item costs its cache 16 MiB.
     */
    public static final int MAX_GROUP = 8;

    private static final long POLL_MILLIS = 10;
    private static final long ABORT_GRACE_MILLIS = 10_000;

    private final Transformer model;
    private final float[] params;
    private final Concurrency concurrency;
    private final StrategyContext context;
    private final int workers;
    private final float[] gradients;
    private final WorkerStats stats;
    private final SphereTree tree;
    private final ConcurrencyStrategy.Session session;
    private final int reductionParts;
    private final Thread[] threads;
    private final Semaphore[] start;
    private final CyclicBarrier barrier;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final boolean threadTimes;
    /** Whether workers can read their own CPU time (platform threads; virtual ones cannot). */
    private final boolean cpuTimes;
    private final long[] blockedMillis;
    private final long[] waitedMillis;

    private volatile boolean aborted;
    private volatile boolean shutdown;
    private volatile long barrierTrippedAt;
    // Per-step state: written by the main thread before the start permits are released (which
    // orders it before the workers' reads), read by the workers.
    private float[] losses = new float[0];
    private float stepScale;
    private CountDownLatch done;
    private boolean broken;

    private long totalWall;
    private long totalPrepare;
    private long totalCompute;
    private long totalReduction;
    private long totalUpdate;
    private int measuredSteps;

    /**
     * Opens the run: builds the hierarchy, opens the strategy's session (which allocates its buffers
     * through {@code ledger}) and starts the workers, which wait for the first step.
     *
     * @param model       the model
     * @param params      the parameters, {@code model.layout().size()} floats, updated in place by the steps' updates
     * @param concurrency the workers and how they share the model
     * @param ledger      where every buffer is registered
     */
    public ParallelTrainer(Transformer model, float[] params, Concurrency concurrency, MemoryLedger ledger) {
        this(model, params, concurrency, ledger, 1);
    }

    /**
     * {@link #ParallelTrainer(Transformer, float[], Concurrency, MemoryLedger)} handing each worker up to
     * {@code groupItems} of its items at once ({@link ConcurrencyStrategy.Session#processGroup}; a step's
     * items are dealt to the workers in turn, so each worker's items are known when the step starts).
     */
    public ParallelTrainer(Transformer model, float[] params, Concurrency concurrency, MemoryLedger ledger,
                           int groupItems) {
        this.model = Objects.requireNonNull(model, "model");
        this.params = Objects.requireNonNull(params, "params");
        this.concurrency = Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(ledger, "ledger");
        if (params.length != model.layout().size()) {
            throw new IllegalArgumentException("params: length " + params.length + "; expected "
                    + model.layout().size());
        }
        this.workers = concurrency.workers();
        if (!concurrency.threads().virtual()) {
            ThreadLimits.check(workers, concurrency.threads().requestedStackBytes());
        }
        this.gradients = ledger.floats(Category.GRADIENTS, model.layout().size());
        this.stats = new WorkerStats(workers);
        this.tree = concurrency.hierarchy().build(workers, ledger);
        if (tree.size() < workers) {
            throw new IllegalStateException("hierarchy " + concurrency.hierarchy().name() + " built " + tree.size()
                    + " spheres for " + workers + " workers; every worker needs its own sphere");
        }
        int rows = concurrency.caches().rowsPerCache(model.config());
        this.context = new StrategyContext(model, workers, rows, groupItems, ledger, stats, gradients);
        this.session = concurrency.strategy().open(context);
        this.reductionParts = Math.max(1, session.reductionParts());
        this.barrier = new CyclicBarrier(workers, () -> barrierTrippedAt = System.nanoTime());
        this.start = new Semaphore[workers];
        this.threads = new Thread[workers];
        this.threadTimes = !concurrency.threads().virtual() && threadBean.isThreadContentionMonitoringSupported();
        this.cpuTimes = !concurrency.threads().virtual() && threadBean.isCurrentThreadCpuTimeSupported();
        if (cpuTimes && !threadBean.isThreadCpuTimeEnabled()) {
            threadBean.setThreadCpuTimeEnabled(true);
        }
        if (threadTimes && !threadBean.isThreadContentionMonitoringEnabled()) {
            threadBean.setThreadContentionMonitoringEnabled(true);
        }
        this.blockedMillis = new long[workers];
        this.waitedMillis = new long[workers];
        var factory = concurrency.threads().factory("cllm-worker");
        for (int w = 0; w < workers; w++) {
            start[w] = new Semaphore(0);
            int index = w;
            Thread t = factory.newThread(() -> workerLoop(index));
            if (t == null) {
                throw new IllegalStateException("thread provisioning " + concurrency.threads().name()
                        + " could not make worker " + w);
            }
            threads[w] = t;
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    public int workers() {
        return workers;
    }

    /** The most items a worker is handed at once. */
    public int groupItems() {
        return context.groupItems();
    }

    /**
     * The group size for {@code items} per step over {@code workers}, with the model's batch of
     * {@code batch} items: each worker's share, cut into as few groups of at most {@link #MAX_GROUP} as it
     * takes, of equal size (32 items on 1 worker: groups of 8; on 3: 11 items each, groups of 6 and 5; on
     * 63: 1). At most {@code batch / workers}, so that the workers' caches together never hold more than a
     * batch (a weak-scaling step of {@code W} batches does not make {@code W} batches of caches).
     */
    public static int groupFor(int items, int workers, int batch) {
        if (items <= 0 || workers <= 0 || batch <= 0) {
            throw new IllegalArgumentException("items: " + items + ", workers: " + workers + ", batch: " + batch
                    + "; expected positive integers");
        }
        int share = (items + workers - 1) / workers;
        int groups = (share + MAX_GROUP - 1) / MAX_GROUP;
        return Math.max(1, Math.min((share + groups - 1) / groups, batch / workers));
    }

    public Transformer model() {
        return model;
    }

    public Concurrency concurrency() {
        return concurrency;
    }

    public SphereTree tree() {
        return tree;
    }

    /** The reduced gradient of the last step (valid until the next step). */
    public float[] gradients() {
        return gradients;
    }

    public List<Thread> threads() {
        return List.of(threads);
    }

    /**
     * Runs one step over {@code items}: every item's gradient is scaled by {@code gradScale} (so the
     * step's gradient is their scaled sum), then {@code update} (if not null) runs on this thread.
     *
     * @throws StepFailedException if a worker threw; the cause is the worker's exception
     */
    public StepOutcome step(List<WorkItem> items, float gradScale, Update update) {
        if (broken) {
            throw new IllegalStateException("this trainer failed in an earlier step; open a new one");
        }
        if (shutdown) {
            throw new IllegalStateException("this trainer is closed");
        }
        long t0 = System.nanoTime();
        Arrays.fill(gradients, 0f);
        if (losses.length != items.size()) {
            losses = new float[items.size()];
        }
        int perWorker = (items.size() + workers - 1) / workers;
        if (perWorker > Sphere.QUEUE_SLOTS) {
            throw new IllegalArgumentException("items: " + items.size() + " in one step for " + workers
                    + " workers is more than the " + Sphere.QUEUE_SLOTS + " queue slots of a sphere");
        }
        for (int i = 0; i < items.size(); i++) {
            WorkItem item = items.get(i);
            if (item.index() != i) {
                throw new IllegalArgumentException("items: item at position " + i + " has index " + item.index());
            }
            tree.sphereFor(i % workers).queue().add(item);
        }
        stepScale = gradScale;
        done = new CountDownLatch(workers);
        session.beginStep();
        snapshotThreadTimes(-1);
        long released = System.nanoTime();
        for (Semaphore s : start) {
            s.release();
        }
        awaitWorkers();
        snapshotThreadTimes(+1);
        long reductionNanos = System.nanoTime() - barrierTrippedAt;
        long computeNanos = barrierTrippedAt - released;
        long u0 = System.nanoTime();
        if (update != null) {
            update.apply(params, gradients);
        }
        long t1 = System.nanoTime();
        double sum = 0;
        for (float l : losses) {
            sum += l;
        }
        totalWall += t1 - t0;
        totalPrepare += released - t0;
        totalCompute += computeNanos;
        totalReduction += reductionNanos;
        totalUpdate += t1 - u0;
        measuredSteps++;
        return new StepOutcome(items.isEmpty() ? Double.NaN : sum / items.size(), t1 - t0, released - t0, computeNanos,
                reductionNanos, t1 - u0);
    }

    private void awaitWorkers() {
        try {
            while (!done.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (aborted) {
                    break;
                }
            }
            if (aborted) {
                for (Thread t : threads) {
                    t.interrupt();
                }
                if (!done.await(ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    failure.get().addSuppressed(new IllegalStateException(
                            "some workers did not stop within " + ABORT_GRACE_MILLIS + " ms of the abort"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(new StepAbortedException("the main thread was interrupted during a step", e));
        }
        if (aborted) {
            broken = true;
            for (Sphere s : tree.spheres()) {
                s.queue().clear();
            }
            Throwable cause = failure.get();
            throw new StepFailedException("training step failed: " + describe(cause), cause);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private void abort(Throwable t) {
        failure.compareAndSet(null, t);
        aborted = true;
        barrier.reset();
    }

    /** Moves up to a group of items from {@code sphere}'s queue into {@code group}; returns how many. */
    private int take(Sphere sphere, WorkItem[] group) {
        int n = 0;
        WorkItem item;
        while (n < group.length && (item = sphere.queue().poll()) != null) {
            group[n++] = item;
        }
        return n;
    }

    /** The indices of {@code group[0 .. count)}, e.g. {@code 3} or {@code 3, 5, 7}. */
    private static String indices(WorkItem[] group, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ", ").append(group[i].index());
        }
        return b.toString();
    }

    private void workerLoop(int w) {
        Sphere sphere = tree.sphereFor(w);
        WorkItem[] group = new WorkItem[context.groupItems()];
        float[] groupLosses = new float[group.length];
        while (true) {
            try {
                start[w].acquire();
            } catch (InterruptedException e) {
                if (shutdown) {
                    return;
                }
                continue;
            }
            if (shutdown) {
                return;
            }
            Thread.interrupted(); // an abort's interrupt must not leak into a later step
            int current = 0;
            try {
                int count;
                while (!aborted && (count = take(sphere, group)) > 0) {
                    current = count;
                    long c0 = cpuTimes ? threadBean.getCurrentThreadCpuTime() : 0;
                    long t0 = System.nanoTime();
                    session.processGroup(w, group, count, params, stepScale, groupLosses);
                    // A group's time is shared out evenly among its items.
                    long dt = (System.nanoTime() - t0) / count;
                    long cpu = cpuTimes ? (threadBean.getCurrentThreadCpuTime() - c0) / count : 0;
                    for (int i = 0; i < count; i++) {
                        losses[group[i].index()] = groupLosses[i];
                        stats.item(w, dt, cpu);
                        sphere.recordItem(dt);
                    }
                    current = 0;
                }
                long b0 = System.nanoTime();
                barrier.await();
                stats.barrierWait(w, System.nanoTime() - b0);
                for (int part = w; part < reductionParts && !aborted; part += workers) {
                    session.reduce(part);
                }
            } catch (BrokenBarrierException | InterruptedException | StepAbortedException e) {
                if (!aborted) {
                    abort(new IllegalStateException("worker " + w + " was stopped unexpectedly", e));
                }
            } catch (Throwable t) {
                String where = current == 0 ? "" : " on item" + (current == 1 ? " " : "s ") + indices(group, current);
                abort(new WorkerException("worker " + w + " failed" + where + ": " + describe(t), t));
            } finally {
                done.countDown();
            }
        }
    }

    private void snapshotThreadTimes(int sign) {
        if (!threadTimes) {
            return;
        }
        for (int w = 0; w < workers; w++) {
            ThreadInfo info = threadBean.getThreadInfo(threads[w].threadId());
            if (info != null) {
                blockedMillis[w] += sign * info.getBlockedTime();
                waitedMillis[w] += sign * info.getWaitedTime();
            }
        }
    }

    /** Forgets the figures of the steps so far (call after warm-up). */
    public void resetFigures() {
        stats.reset();
        context.resetLocks();
        Arrays.fill(blockedMillis, 0);
        Arrays.fill(waitedMillis, 0);
        totalWall = 0;
        totalPrepare = 0;
        totalCompute = 0;
        totalReduction = 0;
        totalUpdate = 0;
        measuredSteps = 0;
    }

    public int measuredSteps() {
        return measuredSteps;
    }

    /**
     * The concurrency figures of the steps since the last {@link #resetFigures}. The serialization
     * index is the share of worker time spent not doing parallel work: waiting for locks, waiting at
     * the barrier, and idle while the main thread applies the update,
     * {@code (Σ lockWait + Σ barrierWait + W · update) / (W · wall)}.
     */
    public Contention contention() {
        List<Contention.WorkerFigures> per = new ArrayList<>(workers);
        long blockedSum = 0;
        long waitedSum = 0;
        for (int w = 0; w < workers; w++) {
            Long blocked = threadTimes ? TimeUnit.MILLISECONDS.toNanos(blockedMillis[w]) : null;
            Long waited = threadTimes ? TimeUnit.MILLISECONDS.toNanos(waitedMillis[w]) : null;
            if (threadTimes) {
                blockedSum += blocked;
                waitedSum += waited;
            }
            per.add(new Contention.WorkerFigures(w, (int) stats.get(w, WorkerStats.ITEMS),
                    stats.get(w, WorkerStats.BUSY), stats.get(w, WorkerStats.LOCK_HOLD),
                    stats.get(w, WorkerStats.LOCK_WAIT), stats.get(w, WorkerStats.BARRIER_WAIT), blocked, waited,
                    cpuTimes ? stats.get(w, WorkerStats.CPU) : null));
        }
        long lockWait = stats.sum(WorkerStats.LOCK_WAIT);
        long lockHold = stats.sum(WorkerStats.LOCK_HOLD);
        long barrierWait = stats.sum(WorkerStats.BARRIER_WAIT);
        long busy = stats.sum(WorkerStats.BUSY);
        long workerWall = (long) workers * totalWall;
        double index = workerWall == 0 ? Double.NaN
                : Math.min(1.0, (double) (lockWait + barrierWait + (long) workers * totalUpdate) / workerWall);
        List<Contention.LockFigures> locks = new ArrayList<>();
        for (TimedLock l : context.locks()) {
            locks.add(new Contention.LockFigures(l.name(), l.acquisitions(), l.holdNanos(), l.waitNanos()));
        }
        return new Contention(workers, workerWall, Math.max(0, busy - lockWait - lockHold), lockHold, lockWait,
                barrierWait, totalReduction, totalUpdate, threadTimes ? blockedSum : null,
                threadTimes ? waitedSum : null, index, per, locks, measuredSteps,
                new Contention.Phases(totalPrepare, totalCompute, totalReduction, totalUpdate, reductionParts,
                        context.owners(), context.ownersFollowCores(), Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public void close() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        for (Semaphore s : start) {
            s.release();
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        session.close();
    }

    /** A worker's own failure (as opposed to being stopped because another worker failed). */
    public static final class WorkerException extends RuntimeException {
        WorkerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
