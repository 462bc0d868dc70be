package org.cllmlab.core.results;

import java.util.List;

/**
 * Where worker time went during the measured steps. All times are wall-clock nanoseconds summed over
 * workers unless the name says otherwise.
 *
 * @param workers            worker count
 * @param workerWallNanos    total worker time inside steps (sum over workers of their step time)
 * @param computeNanos       time in forward and backward outside any lock
 * @param lockHoldNanos      time holding strategy locks (serialised sections)
 * @param lockWaitNanos      time waiting to acquire strategy locks
 * @param barrierWaitNanos   time waiting at the end-of-step barrier
 * @param reductionNanos     wall time of the gradient reduction, per step summed over steps
 * @param optimizerNanos     wall time of clipping plus the optimizer step, summed over steps
 * @param blockedNanos       ThreadMXBean blocked time summed over workers ({@code synchronized}); null if unsupported
 * @param waitedNanos        ThreadMXBean waited time summed over workers (parks, ReentrantLock); null if unsupported
 * @param serializationIndex share of worker time spent waiting or in serial sections, 0..1
 * @param perWorker          per-worker figures
 * @param locks              each lock the strategy made, in the order it made them (empty for none)
 * @param steps              the steps these figures cover
 */
public record Contention(
        int workers,
        long workerWallNanos,
        long computeNanos,
        long lockHoldNanos,
        long lockWaitNanos,
        long barrierWaitNanos,
        long reductionNanos,
        long optimizerNanos,
        Long blockedNanos,
        Long waitedNanos,
        double serializationIndex,
        List<WorkerFigures> perWorker,
        List<LockFigures> locks,
        int steps) {

    public Contention {
        perWorker = perWorker == null ? List.of() : List.copyOf(perWorker);
        locks = locks == null ? List.of() : List.copyOf(locks);
    }

    /**
     * One lock's totals over the measured steps.
     *
     * @param name         the name the strategy gave it
     * @param acquisitions how many times it was taken
     * @param holdNanos    time held, summed over acquisitions
     * @param waitNanos    time waited before acquisitions, summed
     */
    public record LockFigures(String name, long acquisitions, long holdNanos, long waitNanos) {
    }

    /** One worker's share. */
    public record WorkerFigures(int worker, int items, long busyNanos, long lockHoldNanos, long lockWaitNanos,
                                long barrierWaitNanos, Long blockedNanos, Long waitedNanos) {
    }
}
