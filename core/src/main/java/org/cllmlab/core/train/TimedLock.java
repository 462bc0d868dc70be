package org.cllmlab.core.train;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} that reports its wait and hold times to {@link WorkerStats}. Acquisition is
 * interruptible, so an aborted step never leaves a worker parked on a lock. {@code ReentrantLock}
 * rather than {@code synchronized}: virtual threads do not pin on it, and its waits show in
 * ThreadMXBean as <em>waited</em> time.
 */
public final class TimedLock {

    private final ReentrantLock lock = new ReentrantLock();
    private final WorkerStats stats;

    public TimedLock(WorkerStats stats) {
        this.stats = stats;
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
            Thread.currentThread().interrupt();
            throw new StepAbortedException("interrupted while waiting for a lock", e);
        }
        long t1 = System.nanoTime();
        stats.lockWait(worker, t1 - t0);
        return t1;
    }

    public void unlock(int worker, long acquiredAt) {
        stats.lockHold(worker, System.nanoTime() - acquiredAt);
        lock.unlock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }
}
