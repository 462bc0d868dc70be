package org.cllmlab.core.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.Transformer;

/**
 * What the engine gives a strategy when a run opens: the model, the worker count, the cache size, the
 * ledger, the counters to report waits to, and the engine's gradient buffer. Made by the engine on the
 * main thread before any worker starts; {@link #newLock} may be called only from
 * {@link ConcurrencyStrategy#open}.
 */
public final class StrategyContext {

    private final Transformer model;
    private final int workers;
    private final int cacheRows;
    private final int groupItems;
    private final MemoryLedger ledger;
    private final WorkerCounters stats;
    private final float[] gradients;
    private final List<TimedLock> locks = new ArrayList<>();
    private int owners;
    private boolean ownersFollowCores;

    /**
     * @param model     the model (stateless, reentrant)
     * @param workers   worker count; worker indices are {@code 0 .. workers-1}
     * @param cacheRows positions per activation cache, from the run's {@link CachePolicy}
     * @param ledger    where every large buffer is registered
     * @param stats     where lock waits and holds are reported, per worker
     * @param gradients the engine's gradient buffer for the step; zero at the start of every step, and
     *                  expected to hold the summed, scaled gradient once every part is reduced.
     *                  Strategies may accumulate straight into it (under their own locks).
     */
    public StrategyContext(Transformer model, int workers, int cacheRows, MemoryLedger ledger, WorkerCounters stats,
                           float[] gradients) {
        this(model, workers, cacheRows, 1, ledger, stats, gradients);
    }

    /**
     * @param groupItems the most items the engine hands a worker at once
     *                   ({@link ConcurrencyStrategy.Session#processGroup}), at least 1
     * @see #StrategyContext(Transformer, int, int, MemoryLedger, WorkerCounters, float[])
     */
    public StrategyContext(Transformer model, int workers, int cacheRows, int groupItems, MemoryLedger ledger,
                           WorkerCounters stats, float[] gradients) {
        this.model = Objects.requireNonNull(model, "model");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.gradients = Objects.requireNonNull(gradients, "gradients");
        if (workers <= 0) {
            throw new IllegalArgumentException("workers: " + workers + "; expected a positive integer");
        }
        if (gradients.length != model.layout().size()) {
            throw new IllegalArgumentException("gradients: length " + gradients.length + "; expected "
                    + model.layout().size());
        }
        if (groupItems <= 0) {
            throw new IllegalArgumentException("groupItems: " + groupItems + "; expected a positive integer");
        }
        this.workers = workers;
        this.cacheRows = cacheRows;
        this.groupItems = groupItems;
    }

    public Transformer model() {
        return model;
    }

    public int workers() {
        return workers;
    }

    public int cacheRows() {
        return cacheRows;
    }

    /**
     * The most items a worker is handed at once ({@link ConcurrencyStrategy.Session#processGroup}); 1 when
     * every item comes alone.
     */
    public int groupItems() {
        return groupItems;
    }

    /**
     * Positions for a cache that runs a whole group as one pass: {@link #cacheRows()}, or room for
     * {@link #groupItems()} full items if that is more.
     */
    public int groupCacheRows() {
        return Math.max(cacheRows, Math.multiplyExact(groupItems, model.config().seq()));
    }

    public MemoryLedger ledger() {
        return ledger;
    }

    public WorkerCounters stats() {
        return stats;
    }

    public float[] gradients() {
        return gradients;
    }

    /**
     * A new lock, measured per worker and on its own (the engine reports each lock's acquisitions, hold
     * and wait times under {@code name}).
     */
    public TimedLock newLock(String name) {
        TimedLock lock = new TimedLock(Objects.requireNonNull(name, "name"), stats);
        locks.add(lock);
        return lock;
    }

    /**
     * Says how many full gradient buffers the strategy keeps and reduces after the barrier, and whether that
     * count follows the machine's cores (one per core) rather than the workers. Optional: the engine
     * reports it with the run's figures, and a step model uses it to predict the reduction's cost on
     * another machine. Call it from {@code open}.
     */
    public void declareOwners(int buffers, boolean followCores) {
        this.owners = buffers;
        this.ownersFollowCores = followCores;
    }

    /** What {@link #declareOwners} was told (0 when it was not called). */
    public int owners() {
        return owners;
    }

    public boolean ownersFollowCores() {
        return ownersFollowCores;
    }

    /** The locks made so far, in order (read by the engine when no worker runs). */
    public List<TimedLock> locks() {
        return Collections.unmodifiableList(locks);
    }

    /** Forgets every lock's totals (after warm-up, with no worker running). */
    public void resetLocks() {
        locks.forEach(TimedLock::reset);
    }

    /** The start (inclusive) of {@code part}'s slice of the parameter range, out of {@code parts}. */
    public int partStart(int part, int parts) {
        return (int) ((long) gradients.length * part / parts);
    }

    /** The end (exclusive) of {@code part}'s slice of the parameter range, out of {@code parts}. */
    public int partEnd(int part, int parts) {
        return (int) ((long) gradients.length * (part + 1) / parts);
    }
}
