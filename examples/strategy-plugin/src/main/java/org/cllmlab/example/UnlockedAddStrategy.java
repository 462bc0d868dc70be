package org.cllmlab.example;

import java.util.Arrays;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;

/**
 * Deliberately broken: {@link AddUnderLockStrategy} with its lock removed. Two workers that add into
 * the shared gradient at the same moment lose each other's updates, but only when their adds overlap,
 * which on a few cores happens rarely. It is here so that {@code ./lab verify} can show it catches
 * such a race every time, not by chance; never use it to train.
 */
public final class UnlockedAddStrategy implements ConcurrencyStrategy {

    public static final String NAME = "example.unlocked-add";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "BROKEN on purpose: the worked example without its lock (a data race on the shared gradient)";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        ActivationCache[] caches = new ActivationCache[ctx.workers()];
        float[][] own = new float[ctx.workers()][];
        for (int w = 0; w < ctx.workers(); w++) {
            caches[w] = model.newCache(ctx.cacheRows(), ctx.ledger());
            own[w] = ctx.ledger().floats(Category.GRADIENTS, model.layout().size());
        }
        float[] shared = ctx.gradients();
        return new Session() {
            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                float[] g = own[worker];
                float loss = model.forward(params, item.tokens(), item.targets(), item.offset(),
                        item.length(), caches[worker]);
                model.backward(params, caches[worker], gradScale, GradientSink.of(g));
                for (int i = 0; i < g.length; i++) {
                    shared[i] += g[i];                          // unprotected: the race
                }
                Arrays.fill(g, 0f);
                return loss;
            }

            @Override
            public void reduce(int part) { }
        };
    }
}
