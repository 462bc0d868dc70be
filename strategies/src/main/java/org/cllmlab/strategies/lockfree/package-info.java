/**
 * The lock-free family: strategies in which no two threads write the same buffer during the compute
 * phase of a step.
 *
 * <h2>Threads and ownership</h2>
 * <ul>
 *   <li>{@code lockfree.thread-local}: worker {@code w} owns activation cache {@code w} and gradient
 *       buffer {@code w} for the whole run. Memory grows with the number of workers.</li>
 *   <li>{@code lockfree.core-slots}: there are {@code K} compute slots (one per core by default), each
 *       owning a cache and a gradient buffer. A worker borrows a slot from a fair queue for one item
 *       and gives it back; while borrowed, the slot is the worker's alone. Memory grows with cores.</li>
 *   <li>In both, owner 0's gradient buffer is the engine's own buffer, which the engine zeroes before
 *       every step; the other owners' buffers are summed into it.</li>
 * </ul>
 *
 * <h2>Happens-before</h2>
 * A slot's queue hand-over ({@code put} then {@code take}) orders one borrower's writes before the
 * next's. The engine's step barrier orders every write of the compute phase before the reduction.
 * The reduction is split into parts, one parameter range each; parts run concurrently on the workers
 * and each reads and zeroes only its own range of every buffer, so they never write the same index.
 * Completing the step (the workers' count-down that the main thread awaits) orders the reduction
 * before the optimizer.
 *
 * <h2>Virtual threads</h2>
 * No monitor is held across blocking or long compute: slot waits park in an
 * {@link java.util.concurrent.ArrayBlockingQueue} (a {@code ReentrantLock} with conditions), which
 * unmounts a waiting virtual thread instead of pinning its carrier.
 *
 * <h2>False sharing</h2>
 * Reduction parts are at least 16 Ki floats wide, so neighbouring parts share at most the cache line at
 * their boundary. Per-owner {@code touched} flags sit side by side in one array but are written once
 * per step by their owner and read only after the barrier.
 */
package org.cllmlab.strategies.lockfree;
