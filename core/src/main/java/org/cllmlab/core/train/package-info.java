/**
 * The engine: a run's steps on long-lived worker threads, and the optimizer.
 *
 * <h2>Who calls what</h2>
 * {@link org.cllmlab.core.train.TrainingJob#run} drives a run on the calling (main) thread: it initialises
 * the parameters, opens a {@link org.cllmlab.core.train.ParallelTrainer} with the run's resolved
 * {@link org.cllmlab.core.train.Concurrency}, warms up, measures, and validates. The trainer's
 * {@code step} is called by that one thread only; it is not thread-safe.
 *
 * <h2>Threads and ownership</h2>
 * <ul>
 *   <li>The main thread owns the parameters and the optimizer state ({@link org.cllmlab.core.train.AdamW});
 *       it writes them only between steps, while every worker waits for its start permit.</li>
 *   <li>Each worker is bound to one sphere of the hierarchy, whose queue the main thread fills before the
 *       step; the worker drains it through the strategy's {@code process}.</li>
 *   <li>{@link org.cllmlab.core.train.WorkerStats} holds each worker's counters on cache lines of their own
 *       (a stride of 128 bytes), written only by that worker and read by the main thread after the step.</li>
 * </ul>
 *
 * <h2>Happens-before</h2>
 * The main thread's writes (items, the gradient buffer zeroed, the previous update) happen-before a
 * worker's {@code process} through the worker's start semaphore; every worker's writes happen-before the
 * reduction through the {@link java.util.concurrent.CyclicBarrier}; the reduction happens-before the update
 * through the {@link java.util.concurrent.CountDownLatch} the main thread awaits.
 *
 * <h2>Failure</h2>
 * A worker that throws aborts the step: the barrier is reset (breaking it for every waiter), the other
 * workers are interrupted, and {@code step} throws {@link org.cllmlab.core.train.StepFailedException} with
 * the worker's exception as its cause, within milliseconds; no thread is left waiting. A loss that is not
 * finite ends the run with {@link org.cllmlab.core.train.TrainingJob.TrainingDivergedException}.
 */
package org.cllmlab.core.train;
