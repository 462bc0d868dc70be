package org.cllmlab.strategies.lock;

import java.util.List;
import org.cllmlab.core.data.WorkItem;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.model.ActivationCache;
import org.cllmlab.core.model.GradientSink;
import org.cllmlab.core.model.GradientSink.GradientView;
import org.cllmlab.core.model.ParameterLayout.Segment;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.StrategyContext;
import org.cllmlab.core.spi.TimedLock;

/**
 * Per-layer locks. Each worker owns its activation cache; parameters are read-only until the
 * optimizer step; the shared state is the engine's gradient buffer, cut into segments (embeddings,
 * each block, the final norm), each guarded by its own lock, so workers in different layers proceed
 * in parallel. Two variants differ in how much weight-gradient work happens inside a segment's lock:
 * <ul>
 *   <li>{@code lock.per-layer}: none of the arithmetic. A worker writes a segment's gradient into its
 *       own scratch the size of the largest segment, then takes the lock only for the final add.</li>
 *   <li>{@code lock.per-layer-inline}: all of it. The worker takes the segment's lock when the
 *       backward pass opens the segment and accumulates straight into the shared buffer.</li>
 * </ul>
 * The backward pass opens one segment at a time, never nesting them, so a worker holds at most one
 * lock and the locks cannot deadlock.
 */
public final class PerLayerLockStrategy implements ConcurrencyStrategy {

    public static final String SCRATCH = "lock.per-layer";
    public static final String INLINE = "lock.per-layer-inline";

    private final boolean inline;

    private PerLayerLockStrategy(boolean inline) {
        this.inline = inline;
    }

    /** Final add from a per-worker scratch under the lock. */
    public static PerLayerLockStrategy scratch() {
        return new PerLayerLockStrategy(false);
    }

    /** All of a segment's weight-gradient work inside the lock. */
    public static PerLayerLockStrategy inline() {
        return new PerLayerLockStrategy(true);
    }

    @Override
    public String name() {
        return inline ? INLINE : SCRATCH;
    }

    @Override
    public String description() {
        return inline
                ? "a lock per layer; weight-gradient work done inside the layer's lock"
                : "a lock per layer; per-worker scratch, only the final add inside the layer's lock";
    }

    @Override
    public Session open(StrategyContext ctx) {
        Transformer model = ctx.model();
        List<Segment> segments = model.layout().segments();
        TimedLock[] locks = new TimedLock[segments.size()];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = ctx.newLock(segments.get(i).name());
        }
        int workers = ctx.workers();
        ActivationCache[] caches = new ActivationCache[workers];
        GradientSink[] sinks = new GradientSink[workers];
        float[] shared = ctx.gradients();
        for (int w = 0; w < workers; w++) {
            caches[w] = model.newCache(ctx.cacheRows(), ctx.ledger());
            sinks[w] = inline ? inlineSink(w, locks, shared)
                    : scratchSink(w, locks, shared, segments,
                            ctx.ledger().floats(Category.WORKSPACE, model.layout().maxSegmentLength()));
        }
        return new Session() {
            @Override
            public float process(int worker, WorkItem item, float[] params, float gradScale) {
                ActivationCache cache = caches[worker];
                float loss = model.forward(params, item.tokens(), item.targets(), item.offset(), item.length(), cache);
                model.backward(params, cache, gradScale, sinks[worker]);
                return loss;
            }

            @Override
            public void reduce(int part) {
                // Every segment was added into the engine's buffer under its lock.
            }
        };
    }

    private static GradientSink inlineSink(int worker, TimedLock[] locks, float[] shared) {
        GradientView view = new GradientView(shared, 0);
        long[] acquiredAt = new long[locks.length];
        return new GradientSink() {
            @Override
            public GradientView open(Segment segment) {
                acquiredAt[segment.index()] = locks[segment.index()].lock(worker);
                return view;
            }

            @Override
            public void close(Segment segment, GradientView v) {
                locks[segment.index()].unlock(worker, acquiredAt[segment.index()]);
            }
        };
    }

    private static GradientSink scratchSink(int worker, TimedLock[] locks, float[] shared, List<Segment> segments,
                                            float[] scratch) {
        GradientView[] views = new GradientView[segments.size()];
        for (Segment s : segments) {
            views[s.index()] = new GradientView(scratch, s.offset());
        }
        return new GradientSink() {
            @Override
            public GradientView open(Segment segment) {
                return views[segment.index()]; // the scratch is all zeros between segments
            }

            @Override
            public void close(Segment segment, GradientView v) {
                int off = segment.offset();
                int len = segment.length();
                TimedLock lock = locks[segment.index()];
                long acquired = lock.lock(worker);
                try {
                    for (int i = 0; i < len; i++) {
                        shared[off + i] += scratch[i];
                    }
                } finally {
                    lock.unlock(worker, acquired);
                }
                java.util.Arrays.fill(scratch, 0, len, 0f);
            }
        };
    }
}
