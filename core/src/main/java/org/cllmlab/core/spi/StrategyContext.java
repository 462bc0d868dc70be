package org.cllmlab.core.spi;

import java.util.Objects;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.Transformer;
import org.cllmlab.core.train.WorkerStats;

/**
 * What the engine gives a strategy when a run opens.
 *
 * @param model     the model (stateless, reentrant)
 * @param workers   worker count; worker indices are {@code 0 .. workers-1}
 * @param cacheRows positions per activation cache, from the run's {@link CachePolicy}
 * @param ledger    where every large buffer is registered
 * @param stats     per-worker lock and timing counters
 * @param gradients the engine's gradient buffer for the step; zero at the start of every step, and
 *                  expected to hold the summed, scaled gradient once every part is reduced. Strategies
 *                  may accumulate straight into it (under their own locks).
 */
public record StrategyContext(Transformer model, int workers, int cacheRows, MemoryLedger ledger,
                              WorkerStats stats, float[] gradients) {

    public StrategyContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(gradients, "gradients");
        if (workers <= 0) {
            throw new IllegalArgumentException("workers: " + workers + "; expected a positive integer");
        }
        if (gradients.length != model.layout().size()) {
            throw new IllegalArgumentException("gradients: length " + gradients.length + "; expected "
                    + model.layout().size());
        }
    }

    /** The start (inclusive) of {@code part}'s slice of the parameter range, out of {@code parts}. */
    public int partStart(int part, int parts) {
        return (int) ((long) gradients.length * part / parts);
    }

    /** The end (exclusive) of {@code part}'s slice of the parameter range, out of {@code parts}. */
    public int partEnd(int part, int parts) {
        return (int) ((long) gradients.length * (part + 1) / parts);
    }
}
