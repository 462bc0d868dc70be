package org.cllmlab.core.spi;

import org.cllmlab.core.data.WorkItem;

/**
 * How workers share the model and combine gradients. One small interface, in the spirit of a cache
 * simulator's policy: the engine ({@code org.cllmlab.core.train.ParallelTrainer}) owns the step
 * structure (hand out items, barrier, reduce, clip, optimizer step); a strategy decides
 * <ul>
 *   <li>how a worker gets access to the model (locks or none),</li>
 *   <li>where its activations and gradients live (shared, per layer, per worker, per slot),</li>
 *   <li>how the gradients are combined after the barrier.</li>
 * </ul>
 *
 * <p>Implementations are registered by {@link #name()} in a Guice {@code MapBinder}; the same string is
 * the spec value and the report's row label. A fresh instance is made for every run.
 */
public interface ConcurrencyStrategy {

    /** Registry name, e.g. {@code lock.global}. */
    String name();

    /** One line for {@code ./lab list}. */
    String description();

    /** Allocates the run's buffers (through the context's ledger) and returns the run's session. */
    Session open(StrategyContext context);

    /**
     * One run's state. Threading contract:
     * <ul>
     *   <li>{@link #processGroup} (by default {@link #process} per item) is called concurrently by the
     *       worker threads, each passing its own worker index; a worker calls it for its items, one
     *       group after another.</li>
     *   <li>{@link #reduce} is called after every worker has passed the step barrier (so every
     *       write made in {@code process} happens-before it), concurrently by
     *       {@link #reductionParts} workers, each with a distinct {@code part}.</li>
     *   <li>{@link #close} is called once, after the last step, with no worker running.</li>
     * </ul>
     */
    interface Session extends AutoCloseable {

        /**
         * Called on the main thread before the workers of a step are released (which orders it
         * before every {@link #process} of the step).
         */
        default void beginStep() {
        }

        /**
         * Runs forward and backward of {@code item}, adding {@code gradScale ×} its gradient to this
         * strategy's accumulators. Lock waits and holds are reported to {@link StrategyContext#stats()}.
         *
         * <p>A wait of the strategy's own (a lock, a slot, a queue) must be interruptible, and end in
         * {@link StepAbortedException} when interrupted: that is how the engine stops the other workers
         * at once when one fails ({@link TimedLock} does it by itself).
         *
         * @return the item's mean loss
         * @throws StepAbortedException if the step was aborted while this worker waited
         */
        float process(int worker, WorkItem item, float[] params, float gradScale);

        /**
         * Runs forward and backward of {@code items[0 .. count)}, a group of this worker's items of one
         * step, adding {@code gradScale ×} each one's gradient to this strategy's accumulators, and writes
         * {@code losses[i]}, the mean loss of {@code items[i]}. The engine hands a worker at most
         * {@link StrategyContext#groupItems()} items at once.
         *
         * <p>By default it calls {@link #process} for each item in turn. A strategy that owns its
         * activation caches may instead run the group as one pass ({@code Transformer.forward} over
         * the items): the matrix products with the weights then run once over all the group's positions,
         * which packs each weight once per group and touches each weight gradient once. Its caches must
         * then hold {@code groupItems × seq} positions.
         *
         * @throws StepAbortedException if the step was aborted while this worker waited
         */
        default void processGroup(int worker, WorkItem[] items, int count, float[] params, float gradScale,
                                  float[] losses) {
            for (int i = 0; i < count; i++) {
                losses[i] = process(worker, items[i], params, gradScale);
            }
        }

        /**
         * How many workers take part in the reduction of each step (1 for strategies that
         * accumulate straight into the engine's gradient buffer).
         */
        default int reductionParts() {
            return 1;
        }

        /**
         * Completes {@code part} of the step's gradient: on return, every index in
         * {@link StrategyContext#partRange} of {@code part} holds the full sum in
         * {@link StrategyContext#gradients()}, and this strategy's own accumulators for that range
         * are zero again for the next step.
         */
        void reduce(int part);

        @Override
        default void close() {
        }
    }
}
