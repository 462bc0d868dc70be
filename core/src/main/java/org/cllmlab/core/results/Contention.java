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
 * @param phases             where the steps' wall time went, phase by phase (null in older files)
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
        int steps,
        Phases phases) {

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

    /**
     * One worker's share.
     *
     * @param cpuNanos the worker's own CPU time inside the strategy's {@code process} (null for virtual
     *                 threads, whose CPU time the JVM does not report)
     */
    public record WorkerFigures(int worker, int items, long busyNanos, long lockHoldNanos, long lockWaitNanos,
                                long barrierWaitNanos, Long blockedNanos, Long waitedNanos, Long cpuNanos) {
    }

    /**
     * The steps' wall time by phase, summed over the measured steps (the four add up to the steps' wall
     * time), and what the reduction worked on: the calibration of a step model.
     *
     * @param prepareNanos      the main thread alone before the workers start: zeroing the gradient, handing out items
     * @param computeNanos      from the workers' release to the barrier's trip
     * @param reductionNanos    from the barrier's trip to the end of the last reduction part
     * @param updateNanos       the main thread alone after the reduction: clipping and the optimizer
     * @param reductionParts    how many parts the reduction is split into (run in parallel by the workers)
     * @param owners            how many gradient buffers the strategy keeps (0 when it did not say)
     * @param ownersFollowCores whether that count follows the machine's cores (one per core) rather than the workers
     * @param cores             the processors the run's JVM saw
     */
    public record Phases(long prepareNanos, long computeNanos, long reductionNanos, long updateNanos,
                         int reductionParts, int owners, boolean ownersFollowCores, int cores) {
    }
}
