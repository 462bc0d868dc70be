/**
 * What a strategy, a thread variant, a hierarchy or a cache policy implements, and everything such an
 * implementation may use. A strategy needs nothing else from the engine: this package does not import
 * {@code core.train}.
 *
 * <h2>Who calls what, from which thread</h2>
 * <ul>
 *   <li>{@link org.cllmlab.core.spi.ConcurrencyStrategy#open} runs once per run, on the main thread, before
 *       any worker starts. It allocates the run's buffers through the context's ledger and may make locks
 *       with {@link org.cllmlab.core.spi.StrategyContext#newLock}.</li>
 *   <li>{@code Session.beginStep} runs on the main thread before a step's workers are released.</li>
 *   <li>{@code Session.process} runs concurrently on the workers, each with its own worker index; a worker
 *       calls it for its items one after another.</li>
 *   <li>{@code Session.reduce(part)} runs after the step barrier, concurrently, on
 *       {@code reductionParts()} workers, each with a distinct part.</li>
 *   <li>{@code Session.close} runs once, on the main thread, with no worker running.</li>
 * </ul>
 *
 * <h2>Who owns which buffer</h2>
 * The engine owns the parameters (read-only during a step; the optimizer writes them on the main thread
 * between steps) and the gradient buffer of {@link org.cllmlab.core.spi.StrategyContext#gradients}, which
 * it zeroes before every step and reads after the last reduction part. A strategy owns everything it
 * allocates in {@code open}, and decides which worker may write what when.
 *
 * <h2>Happens-before</h2>
 * The release of a step's workers (a semaphore per worker) orders {@code beginStep} and the previous
 * optimizer update before every {@code process} of the step; the step barrier orders every write of every
 * {@code process} before every {@code reduce}; the workers' count-down, which the main thread awaits,
 * orders every {@code reduce} before the optimizer.
 *
 * <h2>Aborts</h2>
 * When a worker throws, the engine breaks the barrier and interrupts the others. A strategy's waits must be
 * interruptible and end in the one abort signal, {@link org.cllmlab.core.spi.StepAbortedException}
 * ({@link org.cllmlab.core.spi.TimedLock} does so by itself); never hold a lock across a wait for another,
 * and never wrap long work in {@code synchronized}, which pins a virtual thread to its carrier.
 *
 * <h2>Measurement</h2>
 * Waits and holds are reported to {@link org.cllmlab.core.spi.WorkerCounters}, per worker, by the worker
 * itself; a {@link org.cllmlab.core.spi.TimedLock} also keeps its own totals, written under the lock.
 */
package org.cllmlab.core.spi;
