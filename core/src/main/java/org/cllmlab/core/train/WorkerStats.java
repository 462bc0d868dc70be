package org.cllmlab.core.train;

import org.cllmlab.core.spi.WorkerCounters;

/**
 * Per-worker timing counters, written only by their own worker (no atomics needed) and read by the
 * engine after the step barrier, which orders the writes before the reads. Each worker's counters sit
 * on their own cache lines (a stride of 16 longs = 128 bytes) so that workers updating their own
 * counters do not false-share.
 */
public final class WorkerStats implements WorkerCounters {

    static final int ITEMS = 0;
    static final int BUSY = 1;
    static final int LOCK_HOLD = 2;
    static final int LOCK_WAIT = 3;
    static final int BARRIER_WAIT = 4;
    static final int CPU = 5;
    private static final int FIELDS = 6;
    private static final int STRIDE = 16;
    private static final int PAD = 16;

    private final int workers;
    private final long[] counters;

    public WorkerStats(int workers) {
        this.workers = workers;
        this.counters = new long[PAD + workers * STRIDE + PAD];
    }

    public int workers() {
        return workers;
    }

    private int at(int worker, int field) {
        return PAD + worker * STRIDE + field;
    }

    @Override
    public void lockWait(int worker, long nanos) {
        counters[at(worker, LOCK_WAIT)] += nanos;
    }

    @Override
    public void lockHold(int worker, long nanos) {
        counters[at(worker, LOCK_HOLD)] += nanos;
    }

    void item(int worker, long nanos, long cpuNanos) {
        counters[at(worker, ITEMS)]++;
        counters[at(worker, BUSY)] += nanos;
        counters[at(worker, CPU)] += cpuNanos;
    }

    void barrierWait(int worker, long nanos) {
        counters[at(worker, BARRIER_WAIT)] += nanos;
    }

    public long get(int worker, int field) {
        return counters[at(worker, field)];
    }

    public long sum(int field) {
        long s = 0;
        for (int w = 0; w < workers; w++) {
            s += get(w, field);
        }
        return s;
    }

    public void reset() {
        java.util.Arrays.fill(counters, 0);
    }

    static int fields() {
        return FIELDS;
    }
}
