package org.cllmlab.core.spi;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} that measures itself: each acquisition's wait and hold are added to the
 * worker's {@link WorkerCounters} and to this lock's own totals, which the engine reports per lock (a
 * strategy with one lock per segment is a pipeline, and its slowest segment bounds its throughput).
 * Make one with {@link StrategyContext#newLock}.
 *
 * <p>Acquisition is interruptible: when the engine aborts a step it interrupts the waiters, and
 * {@link #lock} throws {@link StepAbortedException}, so an aborted step never leaves a worker parked on
 * a lock. {@code ReentrantLock} rather than {@code synchronized}: virtual threads do not pin on it, and
 * its waits show in ThreadMXBean as <em>waited</em> time.
 *
 * <p>The per-lock totals are written only by the thread that holds the lock (before it releases it),
 * so the lock itself orders them; the engine reads them after the step barrier.
 */
public final class TimedLock {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final WorkerCounters counters;
    private long acquisitions;
    private long holdNanos;
    private long waitNanos;

    TimedLock(String name, WorkerCounters counters) {
        this.name = name;
        this.counters = counters;
    }

    /** The name the strategy gave it, e.g. {@code model} or {@code segment 3}. */
    public String name() {
        return name;
    }

    /**
     * Acquires the lock for {@code worker}, returning the acquisition time for {@link #unlock}.
     *
     * @throws StepAbortedException if the step was aborted (the worker was interrupted) while waiting
     */
    public long lock(int worker) {
        long t0 = System.nanoTime();
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw StepAbortedException.of("the lock '" + name + "'", e);
        }
        long t1 = System.nanoTime();
        counters.lockWait(worker, t1 - t0);
        acquisitions++;
        waitNanos += t1 - t0;
        return t1;
    }

    /** Releases the lock taken by {@link #lock}, which returned {@code acquiredAt}. */
    public void unlock(int worker, long acquiredAt) {
        long held = System.nanoTime() - acquiredAt;
        counters.lockHold(worker, held);
        holdNanos += held;
        lock.unlock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** Acquisitions so far (read by the engine when no worker runs). */
    public long acquisitions() {
        return acquisitions;
    }

    /** Nanoseconds held, summed over acquisitions. */
    public long holdNanos() {
        return holdNanos;
    }

    /** Nanoseconds waited before acquisitions, summed. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Forgets the totals (the engine calls this after warm-up, with no worker running). */
    void reset() {
        acquisitions = 0;
        holdNanos = 0;
        waitNanos = 0;
    }
}
