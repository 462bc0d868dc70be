package org.cllmlab.core.spi;

/**
 * What a strategy reports about its workers' waits, so that lock time is measured whatever the
 * strategy's own synchronisation is. Each method is called by worker {@code worker} itself, for itself;
 * the engine reads the sums after the step barrier.
 */
public interface WorkerCounters {

    /** Worker {@code worker} waited {@code nanos} to acquire a lock, a slot or any shared resource. */
    void lockWait(int worker, long nanos);

    /** Worker {@code worker} held a lock (a serialised section) for {@code nanos}. */
    void lockHold(int worker, long nanos);
}
