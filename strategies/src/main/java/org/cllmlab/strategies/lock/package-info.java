/**
 * The lock family: strategies that share state and serialise access to it with locks.
 *
 * <h2>Threads and ownership</h2>
 * <ul>
 *   <li>{@code lock.global}: the model lock guards everything a worker touches in {@code process}: the
 *       one shared activation cache and the engine's gradient buffer. Exactly one worker computes at a
 *       time; the others wait in {@link org.cllmlab.core.spi.TimedLock#lock}, which is the
 *       serialisation the serialization index measures.</li>
 *   <li>{@code lock.per-layer} and {@code lock.per-layer-inline}: each worker owns its activation
 *       cache (and, for {@code lock.per-layer}, a scratch buffer the size of the largest segment). The
 *       parameters are only read during a step. The engine's gradient buffer is shared, and each segment
 *       of it (embeddings, each block, the final norm) is guarded by that segment's lock.</li>
 * </ul>
 *
 * <h2>Happens-before</h2>
 * A segment's lock orders the adds of successive holders into that segment. The engine's step barrier
 * orders every add of the step before the optimizer reads the buffer on the main thread, and the start
 * of the next step (a semaphore release per worker) orders the optimizer's writes to the parameters
 * before any worker reads them.
 *
 * <h2>Deadlock and aborts</h2>
 * The backward pass opens one segment at a time and never nests them, so a worker holds at most one
 * lock. Lock waits are interruptible: when another worker fails, the engine interrupts the waiters and
 * the step ends at once.
 *
 * <h2>False sharing</h2>
 * Workers contend for the same gradient segments by design; per-worker timing counters (the engine's
 * {@code WorkerStats}, behind {@link org.cllmlab.core.spi.WorkerCounters}) are padded to separate cache lines.
 */
package org.cllmlab.strategies.lock;
