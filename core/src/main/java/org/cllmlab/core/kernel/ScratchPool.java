package org.cllmlab.core.kernel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;

/**
 * Packing space shared by the calls of a kernel. Many workers call a kernel at once, and virtual
 * threads can be many, so scratch is neither per thread nor per call: a call takes a buffer from a
 * bounded pool (twice the processor count), makes one if the pool is empty, and gives it back unless the
 * pool is full, so idle memory stays bounded by the cores, not the threads.
 */
final class ScratchPool<T> {

    private final ArrayBlockingQueue<T> pool =
            new ArrayBlockingQueue<>(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    private final Supplier<T> make;

    ScratchPool(Supplier<T> make) {
        this.make = make;
    }

    T take() {
        T s = pool.poll();
        return s != null ? s : make.get();
    }

    void give(T s) {
        pool.offer(s);
    }
}
