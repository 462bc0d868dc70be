package org.cllmlab.strategies.lockfree;

import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;

/**
 * {@code lockfree.thread-local}: the original's phase 4, done correctly. Every worker owns an
 * activation cache and a full gradient buffer; no locks; after the barrier the workers reduce the
 * buffers in parallel, each summing its own slice of the parameter range across all buffers. Memory
 * grows with the number of workers: {@code W × (cache + parameters)}.
 */
public final class ThreadLocalStrategy implements ConcurrencyStrategy {

    public static final String NAME = "lockfree.thread-local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per-worker activation cache and gradient buffer, no locks, parallel reduction after the barrier";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        OwnedBuffers buffers = new OwnedBuffers(ctx, ctx.workers(), false);
        return new Session() {
            @Override
            public void beginStep() {
                buffers.beginStep();
            }

            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                buffers.touched[worker] = true;
                float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(),
                        buffers.caches[worker]);
                model.backward(params, buffers.caches[worker], gradScale, buffers.sinks[worker]);
                return loss;
            }

            @Override
            public void processGroup(int worker, WorkItem[] items, int count, float[] params, float gradScale,
                                     float[] losses) {
                buffers.touched[worker] = true;
                model.forward(params, items, count, buffers.caches[worker], losses);
                model.backward(params, buffers.caches[worker], gradScale, buffers.sinks[worker]);
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
