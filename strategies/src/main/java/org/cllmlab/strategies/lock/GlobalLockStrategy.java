package org.cllmlab.strategies.lock;

import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.TimedLock;

/**
 * {@code lock.global}: the original trainer before its phase 4. One model lock around forward and
 * backward; one shared activation cache; one shared gradient buffer (the engine's own). Whatever the
 * worker count, one item is processed at a time.
 */
public final class GlobalLockStrategy implements ConcurrencyStrategy {

    public static final String NAME = "lock.global";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one model lock around forward+backward; one shared activation cache and gradient buffer";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        ActivationCache shared = model.newCache(ctx.cacheRows(), ctx.ledger());
        GradientSink sink = GradientSink.of(ctx.gradients());
        TimedLock modelLock = ctx.newLock("model");
        return new Session() {
            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                long acquired = modelLock.lock(worker);
                try {
                    float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                            shared);
                    model.backward(params, shared, gradScale, sink);
                    return loss;
                } finally {
                    modelLock.unlock(worker, acquired);
                }
            }

            @Override
            public void reduce(int part) {
                // Every item already added into the engine's buffer under the lock.
            }
        };
    }
}
