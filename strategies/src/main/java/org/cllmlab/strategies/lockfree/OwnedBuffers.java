package org.cllmlab.strategies.lockfree;

import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.GradientReduction;

/**
 * {@code n} owners (workers or slots), each with its own activation cache and full-size gradient
 * buffer, and the parallel reduction that sums them.
 *
 * <p>Owner 0's gradient buffer is the engine's own buffer: the engine zeroes it before every step, owner
 * 0 accumulates straight into it, and the reduction adds the other owners' buffers into it. That saves
 * one full buffer, which matters when there are only as many owners as cores.
 *
 * <p>Ownership: buffer {@code i} is written only by whichever thread currently owns it (a worker
 * owns its buffer for the whole run; a slot is owned by the worker that borrowed it, and the hand-over
 * through the slot queue orders the writes). {@link #touched} is set by the owner and read after the
 * step barrier. The reduction part {@code p} reads and zeroes only its own index range of every
 * buffer, so parts never write the same index; ranges are thousands of floats wide, so neighbouring
 * parts share at most one cache line at each boundary.
 */
final class OwnedBuffers {

    /** Below this many parameters per part, more parts only add overhead. */
    private static final int MIN_PART = 16 * 1024;

    final ActivationCache[] caches;
    final float[][] gradients;
    final GradientSink[] sinks;
    final boolean[] touched;
    private final StrategyContext ctx;
    private final int parts;

    OwnedBuffers(StrategyContext ctx, int owners, boolean followCores) {
        this.ctx = ctx;
        ctx.declareOwners(owners, followCores);
        int size = ctx.model().layout().size();
        caches = new ActivationCache[owners];
        gradients = new float[owners][];
        sinks = new GradientSink[owners];
        touched = new boolean[owners];
        for (int i = 0; i < owners; i++) {
            // Room for a whole group: the owner runs a worker's group of items as one pass.
            caches[i] = ctx.model().newCache(ctx.groupCacheRows(), ctx.ledger());
            gradients[i] = i == 0 ? ctx.gradients() : ctx.ledger().floats(Category.GRADIENTS, size);
            sinks[i] = GradientSink.of(gradients[i]);
        }
        parts = Math.max(1, Math.min(ctx.workers(), size / MIN_PART));
    }

    int parts() {
        return parts;
    }

    /** Forgets which buffers the last step touched (main thread, before the workers start). */
    void beginStep() {
        java.util.Arrays.fill(touched, false);
    }

    /**
     * Sums every other touched buffer's slice for {@code part} into the engine's buffer (owner 0's), in
     * owner order (so the sum is deterministic for a given assignment of items), and zeroes the slice.
     */
    void reduce(int part) {
        GradientReduction.sumInto(ctx.gradients(), gradients, touched, 1, ctx.partStart(part, parts),
                ctx.partEnd(part, parts));
    }
}
