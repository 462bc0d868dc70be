package org.cllmlab.strategies.example;

import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.train.TimedLock;

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
        int workers = ctx.workers();
        ActivationCache[] caches = new ActivationCache[workers];
        float[][] own = new float[workers][];
        for (int w = 0; w < workers; w++) {
            caches[w] = model.newCache(ctx.cacheRows(), ctx.ledger());
            own[w] = ctx.ledger().floats(Category.GRADIENTS, model.layout().size());
        }
        TimedLock lock = new TimedLock(ctx.stats());
        float[] shared = ctx.gradients();
        return new Session() {
            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                float[] g = own[worker];
                float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                        caches[worker]);
                model.backward(params, caches[worker], gradScale, GradientSink.of(g));
                long acquired = lock.lock(worker);
                try {
                    for (int i = 0; i < g.length; i++) {
                        shared[i] += g[i];
                    }
                } finally {
                    lock.unlock(worker, acquired);
                }
                java.util.Arrays.fill(g, 0f);
                return loss;
            }

            @Override
            public void reduce(int part) {
                // Already summed into the shared buffer, item by item.
            }
        };
    }
}
