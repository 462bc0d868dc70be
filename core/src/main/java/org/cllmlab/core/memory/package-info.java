/**
 * Memory accounting: what each byte of a run is for, and what the process really holds.
 *
 * <h2>The three kinds of figure</h2>
 * Reserved (address space set aside), committed (backed or promised by the JVM or the kernel) and resident
 * (pages in RAM) are never added together; {@link org.cllmlab.core.results.MemoryKind} labels every figure.
 *
 * <h2>Who writes what, from which thread</h2>
 * <ul>
 *   <li>{@link org.cllmlab.core.memory.MemoryLedger}: every large array is allocated through it, by the code
 *       that makes it, with its {@link org.cllmlab.core.memory.Category}, from any thread (its counters are
 *       atomic); a run's buffers are mostly allocated on the main thread while the strategy opens, before
 *       the workers start. The sampler only reads its totals.</li>
 *   <li>{@link org.cllmlab.core.memory.MemorySampler} runs on a daemon thread of its own for the whole run,
 *       reading the probes ({@code /proc/self/statm}, {@code smaps_rollup}, {@code status}, NMT, the heap's
 *       MXBeans) every 50 ms and keeping the sample at the resident peak; it never throws into the run.</li>
 *   <li>{@link org.cllmlab.core.memory.MemoryBreakdown} runs once, after the last step, and explains the
 *       peak: ledger categories, the rest of the heap, the JVM's native areas (from the JVM's own map of
 *       its memory with NMT, else {@code /proc/self/smaps}), file mappings, and an explicit unaccounted
 *       residual, so that the rows add up to the peak resident size exactly.</li>
 * </ul>
 *
 * <h2>The instrument should not be what it measures</h2>
 * The sampler reads the expensive probes only when the resident size rises by 1%, allocates little per
 * tick, and is one more platform thread in the counts, which the breakdown says.
 */
package org.cllmlab.core.memory;
