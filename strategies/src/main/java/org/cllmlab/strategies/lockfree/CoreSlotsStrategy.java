package org.cllmlab.strategies.lockfree;

import java.util.concurrent.ArrayBlockingQueue;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.StepAbortedException;

/**
 * {@code lockfree.core-slots}: lock-free compute whose memory grows with cores, not with threads.
 *
 * <p>There are {@code K} compute slots (by default as many as the JVM has processors, never more than
 * workers), each owning an activation cache and a full gradient buffer. Any number of workers,
 * platform or virtual threads, borrow a slot for one work item and give it back. Within a slot there
 * are no locks: the borrower is its only user. A worker handed a group of items ({@code processGroup})
 * runs it in one slot as one pass, so each slot's cache holds a group. After the barrier, the workers
 * reduce the {@code K} buffers in parallel, as {@code lockfree.thread-local} reduces its {@code W}.
 *
 * <p><b>Why it cannot deadlock or starve.</b> A worker holds at most one slot, always returns it in a
 * {@code finally}, and never waits for anything else while holding it; free slots wait in a fair
 * (FIFO) queue, so a waiting worker is served after at most the workers that queued before it.
 *
 * <p><b>Virtual threads.</b> Borrowing parks in {@link ArrayBlockingQueue}, which is built on
 * {@code ReentrantLock} and conditions, so a waiting virtual thread unmounts from its carrier instead of
 * pinning it; the compute itself holds no monitor, so no {@code synchronized} block can pin a
 * carrier during a long forward or backward pass.
 *
 * <p>Memory: {@code K × (cache + parameters)} instead of {@code W × (cache + parameters)}.
 */
public final class CoreSlotsStrategy implements ConcurrencyStrategy {

    public static final String NAME = "lockfree.core-slots";

    private final int slots;
    private final boolean perCore;

    /** As many slots as available processors. */
    public CoreSlotsStrategy() {
        this(Runtime.getRuntime().availableProcessors(), true);
    }

    public CoreSlotsStrategy(int slots) {
        this(slots, false);
    }

    private CoreSlotsStrategy(int slots, boolean perCore) {
        if (slots <= 0) {
            throw new IllegalArgumentException("slots: " + slots + "; expected a positive integer");
        }
        this.slots = slots;
        this.perCore = perCore;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "buffers owned by one compute slot per core; workers (platform or virtual) borrow a slot per item";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        int k = Math.min(slots, ctx.workers());
        OwnedBuffers buffers = new OwnedBuffers(ctx, k, perCore);
        ArrayBlockingQueue<Integer> free = new ArrayBlockingQueue<>(k, true);
        for (int i = 0; i < k; i++) {
            free.add(i);
        }
        return new Session() {
            @Override
            public void beginStep() {
                buffers.beginStep();
            }

            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                int slot = borrow(worker);
                try {
                    buffers.touched[slot] = true;
                    float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                            buffers.caches[slot]);
                    model.backward(params, buffers.caches[slot], gradScale, buffers.sinks[slot]);
                    return loss;
                } finally {
                    free.add(slot);
                }
            }

            /** A whole group in one slot, as one pass: the slot's cache holds a group. */
            @Override
            public void processGroup(int worker, WorkItem[] items, int count, float[] params, float gradScale,
                                     float[] losses) {
                int slot = borrow(worker);
                try {
                    buffers.touched[slot] = true;
                    model.forward(params, items, count, buffers.caches[slot], losses);
                    model.backward(params, buffers.caches[slot], gradScale, buffers.sinks[slot]);
                } finally {
                    free.add(slot);
                }
            }

            private int borrow(int worker) {
                long t0 = System.nanoTime();
                int slot;
                try {
                    slot = free.take();
                } catch (InterruptedException e) {
                    throw StepAbortedException.of("a compute slot", e);
                }
                ctx.stats().lockWait(worker, System.nanoTime() - t0);
                return slot;
            }

            @Override
            public int reductionParts() {
                return buffers.parts();
            }

            @Override
            public void reduce(int part) {
                buffers.reduce(part);
            }
        };
    }
}
