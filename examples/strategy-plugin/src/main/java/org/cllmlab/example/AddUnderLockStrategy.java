package org.cllmlab.example;

import java.util.Arrays;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.TimedLock;

/**
 * The README's worked example: each worker computes an item's gradient into its own buffer, then adds
 * that buffer into the shared gradient under one lock. Compute runs in parallel; only the add is
 * serialised.
 */
public final class AddUnderLockStrategy implements ConcurrencyStrategy {

    public static final String NAME = "example.add-under-lock";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "private gradient per item, added to the shared gradient under one lock";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        ActivationCache[] caches = new ActivationCache[ctx.workers()];
        float[][] own = new float[ctx.workers()][];
        for (int w = 0; w < ctx.workers(); w++) {            // every large buffer goes through the ledger
            caches[w] = model.newCache(ctx.cacheRows(), ctx.ledger());
            own[w] = ctx.ledger().floats(Category.GRADIENTS, model.layout().size());
        }
        TimedLock lock = ctx.newLock("shared gradient");       // measured: waits, holds, acquisitions
        float[] shared = ctx.gradients();                      // the engine's buffer, zeroed every step
        return new Session() {
            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                float[] g = own[worker];
                float loss = model.forward(params, item.tokens(), item.targets(), item.offset(),
                        item.length(), caches[worker]);
                model.backward(params, caches[worker], gradScale, GradientSink.of(g));
                long acquired = lock.lock(worker);
                try {
                    for (int i = 0; i < g.length; i++) {
                        shared[i] += g[i];
                    }
                } finally {
                    lock.unlock(worker, acquired);
                }
                Arrays.fill(g, 0f);
                return loss;
            }

            @Override
            public void reduce(int part) { }                   // already summed, item by item
        };
    }
}
