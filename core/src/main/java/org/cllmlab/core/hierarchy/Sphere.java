package org.cllmlab.core.hierarchy;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.cllmlab.core.data.WorkItem;

/**
 * One node of the original trainer's 12-fold worker tree, with its bookkeeping: a bounded work queue of
 * {@value #QUEUE_SLOTS} slots (as the original had), counters, and the queue's lock and conditions.
 *
 * <p>Threads: the engine's main thread offers items while no worker runs; the sphere's worker polls
 * them after the step starts (the start signal orders the two).
 */
public final class Sphere {

    /** The original's per-sphere queue capacity. */
    public static final int QUEUE_SLOTS = 1000;

    private final int id;
    private final int level;
    private final int parent;
    private final ArrayBlockingQueue<WorkItem> queue = new ArrayBlockingQueue<>(QUEUE_SLOTS);
    private final AtomicLong itemsProcessed = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();

    Sphere(int id, int level, int parent) {
        this.id = id;
        this.level = level;
        this.parent = parent;
    }

    public int id() {
        return id;
    }

    /** 0 for the root, 1 for its 12 children, 2 for the 144 grandchildren, ... */
    public int level() {
        return level;
    }

    /** The parent's id, or -1 for the root. */
    public int parent() {
        return parent;
    }

    public ArrayBlockingQueue<WorkItem> queue() {
        return queue;
    }

    public void recordItem(long nanos) {
        itemsProcessed.incrementAndGet();
        busyNanos.addAndGet(nanos);
    }

    public long itemsProcessed() {
        return itemsProcessed.get();
    }

    public long busyNanos() {
        return busyNanos.get();
    }
}
